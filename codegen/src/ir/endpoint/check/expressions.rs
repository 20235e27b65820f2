//! Expressions typed in the scope of the conditions before them: values, templates,
//! `getAttr`, the standard library's functions and the comparisons.

use super::{plain, Checker, Scope};
use crate::error::Error;
use crate::ir::endpoint::resolver::{Library, Node, Piece, Ty, Typed};
use crate::ir::endpoint::rules::{Expr, TemplatePart};

impl Checker<'_> {
    pub(super) fn error(&self, message: impl Into<String>) -> Error {
        self.at.error(message)
    }

    pub(super) fn value(&self, expr: &Expr, scope: &Scope) -> Result<Typed, Error> {
        Ok(match expr {
            Expr::Bool(flag) => plain(Node::Bool(*flag), Ty::Bool),
            Expr::Int(number) => plain(Node::Int(*number), Ty::Int),
            Expr::Template(parts) => self.template(parts, scope)?,
            Expr::Ref(name) => {
                let var = scope
                    .get(name)
                    .ok_or_else(|| self.error(format!("`{name}` is used before it is defined")))?;
                Typed {
                    ty: var.ty,
                    optional: var.optional,
                    owned: false,
                    node: Node::Var {
                        name: name.clone(),
                        owned: var.owned,
                    },
                }
            }
            Expr::GetAttr(target, path) => self.get_attr(target, path, scope)?,
            Expr::Call(function, args) => self.call(function, args, scope)?,
            Expr::Array(_) | Expr::Object(_) => {
                return Err(self.error("arrays and objects may only appear in endpoint properties"))
            }
        })
    }

    /// A value that must be set and of type `ty` (`what` needs it).
    pub(super) fn required(
        &self,
        expr: &Expr,
        scope: &Scope,
        ty: Ty,
        what: &str,
    ) -> Result<Typed, Error> {
        let value = self.value(expr, scope)?;
        if value.ty != ty || value.optional {
            return Err(self.error(format!("{what} needs a set {ty:?} value, found {expr:?}")));
        }
        Ok(value)
    }

    pub(super) fn template(&self, parts: &[TemplatePart], scope: &Scope) -> Result<Typed, Error> {
        match parts {
            [TemplatePart::Literal(text)] => return Ok(plain(Node::Text(text.clone()), Ty::Str)),
            [TemplatePart::Value(expr)] => {
                return self.required(expr, scope, Ty::Str, "a template")
            }
            _ => {}
        }
        let pieces = parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => Ok(Piece::Text(text.clone())),
                TemplatePart::Value(expr) => self
                    .required(expr, scope, Ty::Str, "a template")
                    .map(Piece::Value),
            })
            .collect::<Result<_, _>>()?;
        Ok(plain(Node::Format(pieces), Ty::Str))
    }

    pub(super) fn get_attr(
        &self,
        target: &Expr,
        path: &str,
        scope: &Scope,
    ) -> Result<Typed, Error> {
        let value = self.value(target, scope)?;
        if value.optional {
            return Err(self.error(format!("getAttr on a value that may be unset: {target:?}")));
        }
        let (field, ty, borrow) = match (value.ty, path) {
            (Ty::Partition, "name") => ("name", Ty::Str, false),
            (Ty::Partition, "dnsSuffix") => ("dns_suffix", Ty::Str, false),
            (Ty::Partition, "dualStackDnsSuffix") => ("dual_stack_dns_suffix", Ty::Str, false),
            (Ty::Partition, "implicitGlobalRegion") => ("implicit_global_region", Ty::Str, false),
            (Ty::Partition, "supportsFIPS") => ("supports_fips", Ty::Bool, false),
            (Ty::Partition, "supportsDualStack") => ("supports_dual_stack", Ty::Bool, false),
            (Ty::Arn, "partition") => ("partition", Ty::Str, true),
            (Ty::Arn, "service") => ("service", Ty::Str, true),
            (Ty::Arn, "region") => ("region", Ty::Str, true),
            (Ty::Arn, "accountId") => ("account_id", Ty::Str, true),
            (Ty::Arn, "resourceId") => ("resource_id", Ty::StrList, false),
            (Ty::Url, "scheme") => ("scheme", Ty::Str, true),
            (Ty::Url, "authority") => ("authority", Ty::Str, true),
            (Ty::Url, "path") => ("path", Ty::Str, true),
            (Ty::Url, "normalizedPath") => ("normalized_path", Ty::Str, true),
            (Ty::Url, "isIp") => ("is_ip", Ty::Bool, false),
            (ty, path) => return self.indexed_attr(value, ty, path),
        };
        let base = Box::new(value);
        Ok(plain(
            Node::Field {
                base,
                field,
                borrow,
            },
            ty,
        ))
    }

    /// `getAttr` with an index: `[n]` of a list, `resourceId[n]` of an ARN.
    pub(super) fn indexed_attr(&self, value: Typed, ty: Ty, path: &str) -> Result<Typed, Error> {
        let bracketed = |rest: &str| {
            rest.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .map(str::to_owned)
        };
        let list_index = bracketed(path).and_then(|index| index.parse::<i64>().ok());
        let resource_index = path
            .strip_prefix("resourceId")
            .and_then(bracketed)
            .and_then(|index| index.parse::<usize>().ok());
        let base = Box::new(value);
        let node = match (ty, list_index, resource_index) {
            (Ty::StrList, Some(index), _) => Node::Item { base, index },
            (Ty::Arn, _, Some(index)) => Node::ResourceId { base, index },
            _ => {
                return Err(self.error(format!("getAttr path `{path}` is not supported on {ty:?}")))
            }
        };
        Ok(Typed {
            ty: Ty::Str,
            optional: true,
            owned: false,
            node,
        })
    }

    pub(super) fn call(
        &self,
        function: &str,
        args: &[Expr],
        scope: &Scope,
    ) -> Result<Typed, Error> {
        let only = |what: &str| match args {
            [arg] => Ok(arg),
            _ => Err(self.error(format!("{what} takes one argument"))),
        };
        Ok(match function {
            "isSet" => {
                let value = Box::new(self.value(only("isSet")?, scope)?);
                plain(
                    Node::IsSet {
                        value,
                        negate: false,
                    },
                    Ty::Bool,
                )
            }
            "not" => self.negation(only("not")?, scope)?,
            "booleanEquals" | "stringEquals" => self.equals(function, args, scope, false)?,
            "coalesce" => self.coalesce(args, scope)?,
            "ite" => self.if_then_else(args, scope)?,
            _ => self.library_call(function, args, scope)?,
        })
    }

    /// A function of the rules' library, its arguments set and of their types.
    pub(super) fn library_call(
        &self,
        function: &str,
        args: &[Expr],
        scope: &Scope,
    ) -> Result<Typed, Error> {
        let Some((library, parameters, ty)) = Library::named(function) else {
            return Err(self.error(format!(
                "the rules function `{function}` is not supported by this generator"
            )));
        };
        if args.len() != parameters.len() {
            return Err(self.error(format!(
                "`{function}` takes {} arguments, given {}",
                parameters.len(),
                args.len()
            )));
        }
        let args = args
            .iter()
            .zip(parameters)
            .map(|(arg, ty)| self.required(arg, scope, *ty, function))
            .collect::<Result<_, _>>()?;
        Ok(Typed {
            ty,
            optional: library.may_be_unset(),
            owned: library.computes(),
            node: Node::Library(library, args),
        })
    }

    /// `coalesce(a, b, ...)`: the first set value, set when one of the values always is.
    pub(super) fn coalesce(&self, args: &[Expr], scope: &Scope) -> Result<Typed, Error> {
        let values = args
            .iter()
            .map(|arg| self.value(arg, scope))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = values.first() else {
            return Err(self.error("coalesce takes at least one argument"));
        };
        let (ty, mut optional) = (first.ty, true);
        let mut used = Vec::new();
        for value in values {
            if value.ty != ty || value.owned {
                return Err(self.error("coalesce needs values of one type, none computed"));
            }
            if !optional {
                break;
            }
            optional = value.optional;
            used.push(value);
        }
        Ok(Typed {
            ty,
            optional,
            owned: false,
            node: Node::Coalesce(used),
        })
    }

    /// `ite(condition, then, else)`: one of two values of one type, set when both are.
    pub(super) fn if_then_else(&self, args: &[Expr], scope: &Scope) -> Result<Typed, Error> {
        let [condition, then, otherwise] = args else {
            return Err(self.error("ite takes three arguments"));
        };
        let condition = self.required(condition, scope, Ty::Bool, "ite")?;
        let (then, otherwise) = (self.value(then, scope)?, self.value(otherwise, scope)?);
        if then.ty != otherwise.ty || then.owned || otherwise.owned {
            return Err(self.error("ite needs two values of one type, none computed"));
        }
        Ok(Typed {
            ty: then.ty,
            optional: then.optional || otherwise.optional,
            owned: false,
            node: Node::Ite(Box::new(condition), Box::new(then), Box::new(otherwise)),
        })
    }

    /// `not(...)`: of an equality or `isSet` folded into it, else of a set boolean.
    pub(super) fn negation(&self, inner: &Expr, scope: &Scope) -> Result<Typed, Error> {
        match inner {
            Expr::Call(function, args)
                if function == "booleanEquals" || function == "stringEquals" =>
            {
                self.equals(function, args, scope, true)
            }
            Expr::Call(function, args) if function == "isSet" => {
                let [arg] = args.as_slice() else {
                    return Err(self.error("isSet takes one argument"));
                };
                let value = Box::new(self.value(arg, scope)?);
                Ok(plain(
                    Node::IsSet {
                        value,
                        negate: true,
                    },
                    Ty::Bool,
                ))
            }
            other => {
                let value = self.required(other, scope, Ty::Bool, "not")?;
                Ok(plain(Node::Not(Box::new(value)), Ty::Bool))
            }
        }
    }

    /// `booleanEquals` / `stringEquals` (negated when `negate`): a comparison with `""` or a
    /// boolean literal is folded (clippy wants `is_empty` and no `== true`).
    pub(super) fn equals(
        &self,
        function: &str,
        args: &[Expr],
        scope: &Scope,
        negate: bool,
    ) -> Result<Typed, Error> {
        let [left, right] = args else {
            return Err(self.error(format!("`{function}` takes two arguments")));
        };
        let is_empty_text = |expr: &Expr| matches!(expr, Expr::Template(parts) if matches!(parts.as_slice(), [TemplatePart::Literal(text)] if text.is_empty()));
        let node = match (left, right) {
            (empty, other) | (other, empty) if is_empty_text(empty) && !is_empty_text(other) => {
                let value = Box::new(self.value(other, scope)?);
                Node::IsEmpty { value, negate }
            }
            (Expr::Bool(flag), other) | (other, Expr::Bool(flag)) => {
                let value = Box::new(self.value(other, scope)?);
                Node::IsBool {
                    value,
                    expected: *flag != negate,
                }
            }
            _ => Node::Equals {
                left: Box::new(self.value(left, scope)?),
                right: Box::new(self.value(right, scope)?),
                negate,
            },
        };
        Ok(plain(node, Ty::Bool))
    }
}
