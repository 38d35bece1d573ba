// A LINE Messaging API message object (text, flex, image, ...), as JSON: the renderers' output, the client's input.
export type LineMessage = { type: string; [key: string]: unknown };

/** LINE takes at most five message objects per reply or push. */
export const MAX_MESSAGES_PER_CALL = 5;
