// The official IVS Chat Messaging client (amazon-ivs-chat-messaging) against ivschat-local, for
// messaging/tests/interop.rs. It joins the room at CHAT_URL with the tokens of CHAT_TOKENS (a JSON
// list, one per connection), says hello, deletes the Rust user's reply, and prints one JSON line
// per thing it sees.
global.WebSocket = require('ws');
const { ChatRoom, SendMessageRequest, DeleteMessageRequest } = require('amazon-ivs-chat-messaging');

const tokens = JSON.parse(process.env.CHAT_TOKENS);
const print = (line) => console.log(JSON.stringify(line));
const room = new ChatRoom({
  regionOrUrl: process.env.CHAT_URL,
  tokenProvider: async () => ({ token: tokens.shift() }),
});

room.addListener('connect', async () => {
  print({ kind: 'connect' });
  const sent = await room.sendMessage(new SendMessageRequest('hello from js', { lang: 'js' }));
  print({ kind: 'sent', id: sent.id, content: sent.content });
});
room.addListener('message', async (message) => {
  print({ kind: 'message', id: message.id, content: message.content, user: message.sender.userId });
  if (message.content === 'hello from rust') {
    const deleted = await room.deleteMessage(new DeleteMessageRequest(message.id, 'tidy up'));
    print({ kind: 'deleted', id: deleted.messageId, reason: deleted.reason });
    room.disconnect();
  }
});
room.addListener('disconnect', (reason) => {
  print({ kind: 'disconnect', reason });
  process.exit(0);
});
setTimeout(() => {
  print({ kind: 'timeout' });
  process.exit(1);
}, 15000);
room.connect();
