//! Test doubles for code that calls a generated client (feature `test-util`): rules that
//! answer an operation by its typed input with a typed output, a modelled error or an HTTP
//! status, in sequence, and remember the inputs they answered. No socket, no signing, no
//! credentials lookup: a client whose configuration holds a [`Mock`] asks it before building a
//! request. Generated crates wrap this in their own `mock::Mock` with one `on_<operation>()`
//! per operation.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::operation::error::SdkError;
use crate::transport::{HttpError, HttpErrorKind, HttpResponse};

/// One answer of a rule.
enum Answer<O, E> {
    Output(O),
    Error(Box<dyn Fn() -> E + Send + Sync>),
    Status(u16, String),
}

/// The state of one rule.
struct RuleState<I, O, E> {
    matches: Box<dyn Fn(&I) -> bool + Send + Sync>,
    answers: VecDeque<Answer<O, E>>,
    /// The last answer is given again once the others are used, unless the rule was told to
    /// stop matching then.
    repeat_last: bool,
    seen: Vec<I>,
}

type Shared<I, O, E> = Arc<Mutex<RuleState<I, O, E>>>;

/// A rule of some operation, its types erased.
struct Entry {
    operation: &'static str,
    rule: Box<dyn Any + Send + Sync>,
}

#[derive(Default)]
struct Rules {
    entries: Vec<Entry>,
    calls: Vec<&'static str>,
}

/// The rules of a mocked client; clones share them, so tests and the client (used from any
/// task) see the same state.
#[derive(Clone, Default)]
pub struct Mock {
    rules: Arc<Mutex<Rules>>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = self.lock();
        f.debug_struct("Mock")
            .field("rules", &rules.entries.len())
            .field("calls", &rules.calls)
            .finish()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Mock {
    /// No rules yet: every call fails, naming its operation.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Rules> {
        lock(&self.rules)
    }

    /// A new rule for `operation`, tried after the rules added before it; it matches every
    /// input until [`Rule::matching`] narrows it, and answers nothing until given answers.
    pub fn rule<I, O, E>(&self, operation: &'static str) -> Rule<I, O, E>
    where
        I: Send + 'static,
        O: Send + 'static,
        E: 'static,
    {
        let state: Shared<I, O, E> = Arc::new(Mutex::new(RuleState {
            matches: Box::new(|_| true),
            answers: VecDeque::new(),
            repeat_last: true,
            seen: Vec::new(),
        }));
        self.lock().entries.push(Entry {
            operation,
            rule: Box::new(state.clone()),
        });
        Rule { state }
    }

    /// The operations called so far, in order (answered or not).
    pub fn calls(&self) -> Vec<&'static str> {
        self.lock().calls.clone()
    }

    /// The answer to a call of `operation` with `input`: the first rule of the operation that
    /// matches and has an answer left gives it; an HTTP status becomes an error through
    /// `parse_error`. Without one, an error naming the operation and the input.
    pub fn answer<I, O, E>(
        &self,
        operation: &'static str,
        input: I,
        parse_error: fn(HttpResponse, Option<String>) -> E,
    ) -> Result<O, E>
    where
        I: fmt::Debug + Send + 'static,
        O: Clone + Send + 'static,
        E: From<SdkError> + 'static,
    {
        let rules: Vec<Shared<I, O, E>> = {
            let mut all = self.lock();
            all.calls.push(operation);
            all.entries
                .iter()
                .filter(|entry| entry.operation == operation)
                .filter_map(|entry| entry.rule.downcast_ref::<Shared<I, O, E>>().cloned())
                .collect()
        };
        for rule in rules {
            let mut state = lock(&rule);
            if state.answers.is_empty() || !(state.matches)(&input) {
                continue;
            }
            let answer = if state.answers.len() > 1 || !state.repeat_last {
                state.answers.pop_front()
            } else {
                None
            };
            let outcome = match answer.as_ref().or(state.answers.front()) {
                Some(Answer::Output(output)) => Ok(output.clone()),
                Some(Answer::Error(make)) => Err(make()),
                Some(Answer::Status(status, body)) => {
                    Err(parse_error(response(*status, body), None))
                }
                None => continue,
            };
            state.seen.push(input);
            return outcome;
        }
        Err(E::from(SdkError::Dispatch(HttpError::new(
            HttpErrorKind::Request,
            format!("the mock has no rule that answers {operation} with {input:?}"),
        ))))
    }
}

/// Runs a call to completion on a current-thread Tokio runtime of its own, for tests that are
/// not async themselves.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    crate::test_runtime::block_on(future)
}

/// An error response of `status` with `body`, as a service would send it.
fn response(status: u16, body: &str) -> HttpResponse {
    let mut response = http::Response::new(bytes::Bytes::from(body.to_owned()));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if !body.is_empty() {
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
    }
    response
}

/// A rule of an operation: what it matches, its answers in order, the inputs it answered.
/// The rule is live from its creation; its methods change it in place.
pub struct Rule<I, O, E> {
    state: Shared<I, O, E>,
}

impl<I, O, E> Rule<I, O, E> {
    fn push(self, answer: Answer<O, E>) -> Self {
        lock(&self.state).answers.push_back(answer);
        self
    }

    /// Only inputs for which `matches` holds.
    pub fn matching(self, matches: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        lock(&self.state).matches = Box::new(matches);
        self
    }

    /// Answers with `output` (then with the next answer, if any).
    pub fn answer(self, output: O) -> Self {
        self.push(Answer::Output(output))
    }

    /// Answers with a modelled error (an error structure of the model, or the operation's
    /// error enum).
    pub fn answer_error<X>(self, error: X) -> Self
    where
        X: Into<E> + Clone + Send + Sync + 'static,
    {
        self.push(Answer::Error(Box::new(move || error.clone().into())))
    }

    /// Answers with an HTTP error response of `status` and `body` (e.g. `{"message": "..."}`),
    /// read as the client reads a service's.
    pub fn answer_status(self, status: u16, body: &str) -> Self {
        self.push(Answer::Status(status, body.to_owned()))
    }

    /// Once its answers are given, the rule stops matching (later rules, or the "no rule"
    /// error, answer instead); otherwise its last answer is given again and again.
    pub fn then_unmatched(self) -> Self {
        lock(&self.state).repeat_last = false;
        self
    }

    /// How many calls the rule answered.
    pub fn count(&self) -> usize {
        lock(&self.state).seen.len()
    }
}

impl<I: Clone, O, E> Rule<I, O, E> {
    /// The inputs the rule answered, in order.
    pub fn seen(&self) -> Vec<I> {
        lock(&self.state).seen.clone()
    }
}

impl<I, O, E> Clone for Rule<I, O, E> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
        }
    }
}

impl<I, O, E> fmt::Debug for Rule<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Rule")
            .field("answers", &state.answers.len())
            .field("answered", &state.seen.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum TestError {
        Sdk(String),
        Status(u16),
        Modelled(&'static str),
    }

    impl From<SdkError> for TestError {
        fn from(error: SdkError) -> Self {
            TestError::Sdk(error.to_string())
        }
    }

    impl From<&'static str> for TestError {
        fn from(name: &'static str) -> Self {
            TestError::Modelled(name)
        }
    }

    fn parse(response: HttpResponse, _: Option<String>) -> TestError {
        TestError::Status(response.status().as_u16())
    }

    fn call(mock: &Mock, input: &str) -> Result<u32, TestError> {
        mock.answer("Get", input.to_owned(), parse)
    }

    #[test]
    fn rules_answer_in_order_by_input_and_remember_what_they_saw() {
        let mock = Mock::new();
        let special = mock
            .rule::<String, u32, TestError>("Get")
            .matching(|input| input == "special")
            .answer(7);
        let sequence = mock
            .rule::<String, u32, TestError>("Get")
            .answer(1)
            .answer_error("NotFound")
            .answer_status(503, "")
            .then_unmatched();
        assert_eq!(call(&mock, "special").unwrap(), 7);
        assert_eq!(
            call(&mock, "special").unwrap(),
            7,
            "the last answer repeats"
        );
        assert_eq!(call(&mock, "a").unwrap(), 1);
        assert!(matches!(
            call(&mock, "b"),
            Err(TestError::Modelled("NotFound"))
        ));
        assert!(matches!(call(&mock, "c"), Err(TestError::Status(503))));
        let Err(TestError::Sdk(message)) = call(&mock, "d") else {
            panic!("an exhausted rule no longer answers");
        };
        assert!(
            message.contains("no rule that answers Get with \"d\""),
            "{message}"
        );
        assert_eq!(special.seen(), ["special", "special"]);
        assert_eq!(sequence.seen(), ["a", "b", "c"]);
        assert_eq!(mock.calls().len(), 6);
    }

    #[test]
    fn concurrent_callers_share_the_rules() {
        let mock = Mock::new();
        let rule = mock.rule::<String, u32, TestError>("Get").answer(5);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..25 {
                        assert_eq!(call(&mock, "x").unwrap(), 5);
                    }
                });
            }
        });
        assert_eq!(rule.count(), 100);
    }
}
