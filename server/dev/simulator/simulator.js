// The simulator page: pick a persona, chat, tap buttons. Messages come from the fake LINE platform.
import { renderFlex } from '/simulator/flex-renderer.js';

const state = { personas: [], current: null, lastSeq: 0, liffPrefix: 'https://liff.line.me/', pollTimer: null };
const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : undefined);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function addBubble(className, text) {
  const el = document.createElement('div');
  el.className = `msg ${className}`;
  el.textContent = text;
  $('messages').append(el);
  $('messages').scrollTop = $('messages').scrollHeight;
  return el;
}

function openUri(uri) {
  if (uri.startsWith(state.liffPrefix)) {
    // https://liff.line.me/{liffId}/applications?x=1 → /liff/applications?x=1&simUser=…, as LINE would open it.
    const url = new URL(uri);
    const [, , ...rest] = url.pathname.split('/');
    const target = new URL(`/liff/${rest.join('/')}`, location.origin);
    url.searchParams.forEach((value, key) => target.searchParams.set(key, value));
    target.searchParams.set('simUser', state.current.lineUserId);
    window.open(`${target.pathname}${target.search}`, '_blank');
  } else if (uri.startsWith('tel:')) {
    addBubble('meta', `📞 โทรออก ${uri.slice(4)} (จำลอง)`);
  } else {
    window.open(uri, '_blank', 'noopener');
  }
}

async function performAction(action) {
  if (action.type === 'postback') {
    if (action.displayText) addBubble('user', action.displayText);
    await send({ type: 'postback', data: action.data });
  } else if (action.type === 'message') {
    addBubble('user', action.text);
    await send({ type: 'text', text: action.text });
  } else if (action.type === 'uri') {
    openUri(action.uri);
  }
}

function renderQuickReplies(quickReply) {
  const bar = $('quick-replies');
  bar.replaceChildren();
  for (const item of quickReply?.items ?? []) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = item.action.label;
    button.addEventListener('click', () => performAction(item.action));
    bar.append(button);
  }
}

function renderDelivered(delivered) {
  const { message, via } = delivered;
  if (via !== 'reply') addBubble('meta', via === 'push' ? 'ข้อความแจ้งเตือน (push)' : 'ข้อความแจ้งเตือน (multicast)');
  if (message.type === 'text') {
    const bubble = addBubble('bot-text', '');
    // LINE makes addresses in a text tappable (a reminder's link to the measures): so does the simulator.
    // An address ends before spaces, quotes, brackets and Thai letters written right after it.
    for (const part of message.text.split(/(https?:\/\/[\w\-.~:/?#[\]@!$&'*+,;=%]*[\w/=#])/)) {
      if (!/^https?:\/\//.test(part)) bubble.append(part);
      else bubble.append(Object.assign(document.createElement('a'), { href: '#', textContent: part, onclick: (event) => { event.preventDefault(); openUri(part); } }));
    }
    // LINE shows a quoted message above the answer; the page knows only that one is quoted.
    if (message.quoteToken) bubble.prepend(Object.assign(document.createElement('div'), { className: 'quote', textContent: '↩ ตอบกลับข้อความหรือรูปที่ท่านส่ง' }));
  } else if (message.type === 'flex') {
    const wrap = document.createElement('div');
    wrap.className = 'msg';
    wrap.style.alignSelf = 'stretch';
    wrap.style.maxWidth = '100%';
    wrap.append(renderFlex(message.contents, performAction));
    $('messages').append(wrap);
    $('messages').scrollTop = $('messages').scrollHeight;
  } else if (message.type === 'image') {
    // A payment QR: LINE's app shows the preview and opens the original; so does this page.
    const wrap = document.createElement('a');
    wrap.className = 'msg bot-image';
    wrap.href = message.originalContentUrl;
    wrap.target = '_blank';
    wrap.rel = 'noopener';
    const img = document.createElement('img');
    img.src = message.previewImageUrl;
    img.alt = 'รูปภาพ';
    img.style.maxWidth = '220px';
    img.style.borderRadius = '12px';
    img.addEventListener('load', () => ($('messages').scrollTop = $('messages').scrollHeight));
    wrap.append(img);
    $('messages').append(wrap);
  }
  if (message.quickReply) renderQuickReplies(message.quickReply);
}

async function poll() {
  if (!state.current) return;
  const userId = state.current.lineUserId;
  const { messages } = await api(`/simulator-api/messages?userId=${encodeURIComponent(userId)}&after=${state.lastSeq}`);
  if (state.current?.lineUserId !== userId) return;
  for (const delivered of messages) {
    // Polls overlap (the timer, and one just after each send): an answer two of them fetched is shown once.
    if (delivered.seq <= state.lastSeq) continue;
    state.lastSeq = delivered.seq;
    renderDelivered(delivered);
  }
}

async function send(event) {
  let result;
  try {
    result = await api('/simulator-api/events', { userId: state.current.lineUserId, ...event });
  } catch (error) {
    // Said where she looks: a message that never left must not look sent.
    addBubble('meta', `ส่งไม่สำเร็จ (${error.message}) ลองส่งใหม่อีกครั้ง`);
    return;
  }
  if (result.webhookStatus !== 200) addBubble('meta', `webhook ตอบ ${result.webhookStatus}`);
  setTimeout(poll, 250);
  // Linking changes the menu a person sees: fetch it again once the bot has answered.
  setTimeout(loadRichMenu, 900);
}

/** The rich menu LINE shows this person, with a transparent button over each tappable area. */
async function loadRichMenu() {
  if (!state.current) return;
  const userId = state.current.lineUserId;
  const { menu, imageUrl } = await api(`/simulator-api/rich-menu?userId=${encodeURIComponent(userId)}`);
  if (state.current?.lineUserId !== userId) return;
  const panel = $('rich-menu');
  const toggle = $('menu-toggle');
  if (!menu) {
    panel.hidden = true;
    toggle.hidden = true;
    return;
  }
  if (panel.dataset.menuId === menu.richMenuId) return;
  panel.dataset.menuId = menu.richMenuId;
  const image = document.createElement('img');
  image.src = imageUrl;
  image.alt = menu.chatBarText;
  panel.replaceChildren(image);
  for (const area of menu.areas) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'area';
    button.setAttribute('aria-label', area.action.label ?? '');
    button.title = area.action.label ?? '';
    const { x, y, width, height } = area.bounds;
    Object.assign(button.style, {
      left: `${(x / menu.size.width) * 100}%`,
      top: `${(y / menu.size.height) * 100}%`,
      width: `${(width / menu.size.width) * 100}%`,
      height: `${(height / menu.size.height) * 100}%`,
    });
    button.addEventListener('click', () => performAction(area.action));
    panel.append(button);
  }
  toggle.hidden = false;
  toggle.textContent = `☰ ${menu.chatBarText}`;
  panel.hidden = !menu.selected;
}

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function selectPersona(persona) {
  state.current = persona;
  state.lastSeq = 0;
  $('messages').replaceChildren();
  $('quick-replies').replaceChildren();
  $('chat-title').textContent = persona.label;
  $('chat-subtitle').textContent = persona.description;
  for (const el of document.querySelectorAll('.persona')) el.setAttribute('aria-current', String(el.dataset.id === persona.lineUserId));
  delete $('rich-menu').dataset.menuId;
  void poll();
  void loadRichMenu();
}

async function init() {
  const { personas, liffUrlPrefix } = await api('/simulator-api/personas');
  state.personas = personas;
  state.liffPrefix = liffUrlPrefix;
  const kindLabel = { borrower: 'ผู้กู้', officer: 'เจ้าหน้าที่', guest: 'ใหม่' };
  for (const persona of personas) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'persona';
    button.dataset.id = persona.lineUserId;
    button.innerHTML = `<span class="kind kind-${persona.kind}"></span><strong></strong><small></small>`;
    button.querySelector('.kind').textContent = kindLabel[persona.kind];
    button.querySelector('strong').textContent = persona.label;
    button.querySelector('small').textContent = persona.description;
    button.addEventListener('click', () => selectPersona(persona));
    $('persona-list').append(button);
  }
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('composer-input').value.trim();
    if (!text || !state.current) return;
    // LINE carries at most 5,000 characters in one text message. Refused whole and said, not cut short silently
    // (a box limit would drop the end of a paste without a word).
    if (text.length > 5000) {
      addBubble('meta', `ข้อความยาว ${text.length.toLocaleString('th-TH')} ตัวอักษร LINE ส่งได้ครั้งละไม่เกิน 5,000 ตัวอักษร`);
      return;
    }
    $('composer-input').value = '';
    addBubble('user', text);
    await send({ type: 'text', text });
  });
  $('menu-toggle').addEventListener('click', () => ($('rich-menu').hidden = !$('rich-menu').hidden));
  $('sticker-btn').addEventListener('click', async () => {
    if (!state.current) return;
    addBubble('user', '🙂 (สติกเกอร์)');
    await send({ type: 'sticker' });
  });
  $('image-input').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file || !state.current) return;
    const bubble = document.createElement('div');
    bubble.className = 'msg user-image';
    const img = document.createElement('img');
    img.src = URL.createObjectURL(file);
    img.alt = 'รูปที่ส่ง';
    bubble.append(img);
    $('messages').append(bubble);
    await send({ type: 'image', base64: await fileToBase64(file) });
  });
  $('follow-btn').addEventListener('click', () => state.current && send({ type: 'follow' }));
  $('unfollow-btn').addEventListener('click', () => state.current && send({ type: 'unfollow' }).then(() => addBubble('meta', 'ผู้ใช้บล็อกบัญชีแล้ว')));
  for (const button of document.querySelectorAll('.job-btn')) {
    button.addEventListener('click', async () => {
      $('job-result').textContent = 'กำลังรัน…';
      try {
        const { text } = await api(`/simulator-api/jobs/${button.dataset.job}`, {});
        $('job-result').textContent = text;
      } catch (error) {
        $('job-result').textContent = `ไม่สำเร็จ: ${error.message}`;
      }
      void poll();
    });
  }
  state.pollTimer = setInterval(poll, 1500);
  if (personas[0]) selectPersona(personas[0]);
}

init().catch((error) => addBubble('meta', `เริ่มต้นไม่สำเร็จ: ${error.message}`));
