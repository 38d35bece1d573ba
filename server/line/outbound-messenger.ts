// The dispatcher's Messenger port over LINE: renders each notification when it is sent, then pushes it.
import type { Messenger, OutboundContent } from '../services/ports.ts';
import type { LineClient } from './line-messenger.ts';
import type { LineMessage } from './line-message.ts';
import type { NotificationRenderer } from './notification-renderer.ts';

export function createOutboundMessenger(client: LineClient, renderer: NotificationRenderer): Messenger {
  const messagesOf = (content: OutboundContent): LineMessage[] =>
    'notification' in content ? renderer.render(content.notification) : (content.prerendered as LineMessage[]);
  return {
    push: (to, content, retryKey) => client.push(to, messagesOf(content), retryKey),
    multicast: (to, content, retryKey) => client.multicast(to, messagesOf(content), retryKey),
    getQuota: () => client.getQuota(),
  };
}
