// The dispatcher's Messenger port over LINE: renders each notification when it is sent, then pushes it.
import { LineApiError, type Messenger, type OutboundContent } from '../services/ports.ts';
import type { LineClient } from './line-messenger.ts';
import type { LineMessage } from './line-message.ts';
import type { NotificationRenderer } from './notification-renderer.ts';

export function createOutboundMessenger(client: LineClient, renderer: NotificationRenderer): Messenger {
  const messagesOf = (content: OutboundContent): LineMessage[] =>
    'notification' in content ? renderer.render(content.notification) : (content.prerendered as LineMessage[]);
  return {
    async push(to, content, retryKey) {
      const messages = messagesOf(content);
      try {
        return await client.push(to, messages, retryKey);
      } catch (error) {
        // A quote is a nicety: if LINE refuses it (the quoted photo was unsent, say), the words still go, unquoted.
        // A 400 means LINE accepted nothing, so the same retry key is still unused.
        if (!(error instanceof LineApiError && error.status === 400 && messages.some((message) => 'quoteToken' in message))) throw error;
        return client.push(to, messages.map(withoutQuote), retryKey);
      }
    },
    multicast: (to, content, retryKey) => client.multicast(to, messagesOf(content), retryKey),
    getQuota: () => client.getQuota(),
  };
}

function withoutQuote(message: LineMessage): LineMessage {
  const { quoteToken: _quoted, ...rest } = message;
  return rest as LineMessage;
}
