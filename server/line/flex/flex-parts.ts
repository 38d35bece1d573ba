// Small builders for Flex Message JSON, so each card reads as layout rather than braces.
import type { LineMessage } from '../line-message.ts';

export type FlexComponent = Record<string, unknown>;

export const MUTED = '#6B6B6B';
export const ACCENT = '#7A2E8E';

export function text(value: string, options: FlexComponent = {}): FlexComponent {
  return { type: 'text', text: value.length > 0 ? value : ' ', wrap: true, ...options };
}

export function box(layout: 'vertical' | 'horizontal' | 'baseline', contents: FlexComponent[], options: FlexComponent = {}): FlexComponent {
  return { type: 'box', layout, contents, ...options };
}

export function separator(): FlexComponent {
  return { type: 'separator', margin: 'md' };
}

/** A label on the left, its value on the right. */
export function row(label: string, value: string, valueOptions: FlexComponent = {}): FlexComponent {
  return box(
    'horizontal',
    [text(label, { size: 'md', color: MUTED, flex: 5 }), text(value, { size: 'md', weight: 'bold', align: 'end', flex: 6, ...valueOptions })],
    { margin: 'md' },
  );
}

export function postbackButton(label: string, data: string, displayText: string, style: 'primary' | 'secondary' | 'link' = 'secondary'): FlexComponent {
  return { type: 'button', style, height: 'sm', margin: 'sm', action: { type: 'postback', label, data, displayText }, ...(style === 'primary' ? { color: ACCENT } : {}) };
}

export function uriButton(label: string, uri: string, style: 'primary' | 'secondary' | 'link' = 'primary'): FlexComponent {
  return { type: 'button', style, height: 'sm', margin: 'sm', action: { type: 'uri', label, uri }, ...(style === 'primary' ? { color: ACCENT } : {}) };
}

export function bubble(parts: { header?: FlexComponent; body: FlexComponent; footer?: FlexComponent; size?: string }): FlexComponent {
  return { type: 'bubble', size: parts.size ?? 'mega', ...(parts.header ? { header: parts.header } : {}), body: parts.body, ...(parts.footer ? { footer: parts.footer } : {}) };
}

/** LINE caps altText at 400 characters. */
export function flexMessage(altText: string, contents: FlexComponent): LineMessage {
  return { type: 'flex', altText: altText.length > 400 ? `${altText.slice(0, 399)}…` : altText, contents };
}

/** One bubble as is; several as a carousel (LINE allows 12). */
export function bubblesMessage(altText: string, bubbles: FlexComponent[]): LineMessage {
  if (bubbles.length === 1) return flexMessage(altText, bubbles[0]!);
  return flexMessage(altText, { type: 'carousel', contents: bubbles.slice(0, 12) });
}
