// Renders LINE Flex Message JSON (the subset this bot uses) into HTML, so cards look roughly as in LINE.
const SIZES = { xxs: 11, xs: 12, sm: 13, md: 15, lg: 17, xl: 20, xxl: 24, '3xl': 28 };
const SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };

function px(value, table) {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.endsWith('px')) return value;
  return `${table[value] ?? 0}px`;
}

export function renderFlex(contents, onAction) {
  if (contents.type === 'carousel') {
    const wrap = document.createElement('div');
    wrap.className = 'flex-carousel';
    for (const bubble of contents.contents) wrap.append(renderBubble(bubble, onAction));
    return wrap;
  }
  return renderBubble(contents, onAction);
}

function renderBubble(bubble, onAction) {
  const el = document.createElement('div');
  el.className = 'flex-bubble';
  for (const part of ['header', 'hero', 'body', 'footer']) {
    if (!bubble[part]) continue;
    const section = renderComponent(bubble[part], onAction);
    section.classList.add('flex-section');
    el.append(section);
  }
  return el;
}

function renderComponent(c, onAction) {
  let el;
  switch (c.type) {
    case 'box': {
      el = document.createElement('div');
      el.className = `flex-box ${c.layout}`;
      for (const child of c.contents ?? []) el.append(renderComponent(child, onAction));
      if (c.backgroundColor) el.style.background = c.backgroundColor;
      if (c.paddingAll) el.style.padding = px(c.paddingAll, SPACING);
      if (c.spacing) el.style.gap = px(c.spacing, SPACING);
      break;
    }
    case 'text': {
      el = document.createElement('div');
      el.className = 'flex-text';
      el.textContent = c.text;
      el.style.fontSize = px(c.size ?? 'md', SIZES);
      if (c.weight === 'bold') el.style.fontWeight = '700';
      if (c.color) el.style.color = c.color;
      if (c.align) el.style.textAlign = c.align === 'end' ? 'right' : c.align;
      break;
    }
    case 'separator':
      el = document.createElement('div');
      el.className = 'flex-separator';
      break;
    case 'button': {
      el = document.createElement('button');
      el.type = 'button';
      el.className = `flex-button ${c.style ?? 'link'}`;
      el.textContent = c.action.label;
      if (c.color && c.style === 'primary') el.style.background = c.color;
      el.addEventListener('click', () => onAction(c.action));
      break;
    }
    default:
      el = document.createElement('div');
  }
  if (c.flex !== undefined) el.style.flex = String(c.flex);
  if (c.margin) el.style.marginTop = px(c.margin, SPACING);
  return el;
}
