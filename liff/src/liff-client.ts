// LINE Front-end Framework: who is using the app, as an ID token the server verifies with LINE.
// In simulator mode the same code runs on @line/liff-mock as the demo user the simulator chose.
import liff from '@line/liff/core';
import GetDecodedIDTokenModule from '@line/liff/get-decoded-id-token';
import GetIDTokenModule from '@line/liff/get-id-token';
import IsInClientModule from '@line/liff/is-in-client';
import IsLoggedInModule from '@line/liff/is-logged-in';
import LoginModule from '@line/liff/login';
import OpenWindowModule from '@line/liff/open-window';

/** The pieces of @line/liff-mock we use; `mock: true` is its switch in liff.init. */
type MockableLiff = typeof liff & {
  init(config: { liffId: string; mock?: boolean }): Promise<void>;
  $mock: { set(data: (previous: Record<string, unknown>) => Record<string, unknown>): void };
};

export interface LiffSession {
  mode: 'line' | 'mock';
  /** Used only to keep this person's draft apart on a shared phone; the server never trusts it. */
  localUserKey: string;
  displayName: string;
  idToken(): string;
  /** A fresh token after the server said 401; undefined when the page is being sent to LINE Login instead. */
  refresh(): Promise<string | undefined>;
  /** Opens a link outside LINE (the phone's browser: a PDF to print or share). */
  openExternal(url: string): void;
}

// The pluggable SDK: only the modules this app calls, a fraction of the full SDK for slow phones.
liff.use(new IsInClientModule());
liff.use(new IsLoggedInModule());
liff.use(new LoginModule());
liff.use(new GetIDTokenModule());
liff.use(new GetDecodedIDTokenModule());
liff.use(new OpenWindowModule());

export async function startLineSession(liffId: string): Promise<LiffSession | undefined> {
  await liff.init({ liffId });
  if (!liff.isLoggedIn()) {
    liff.login({ redirectUri: location.href });
    return undefined;
  }
  const decoded = liff.getDecodedIDToken();
  return {
    mode: 'line',
    localUserKey: decoded?.sub ?? 'line',
    displayName: decoded?.name ?? '',
    idToken: () => liff.getIDToken() ?? '',
    openExternal: (url) => liff.openWindow({ url: new URL(url, location.origin).toString(), external: true }),
    async refresh() {
      // An expired token: LINE Login again brings the person back here with a new one.
      if (sessionStorage.getItem('wdf-liff:relogin') === '1') return undefined;
      sessionStorage.setItem('wdf-liff:relogin', '1');
      liff.login({ redirectUri: location.href });
      return undefined;
    },
  };
}

/** Simulator mode: a token for the chosen demo user, issued by the in-process fake LINE platform. */
export async function startMockSession(liffId: string, simUser: string): Promise<LiffSession> {
  const plugin = await import('@line/liff-mock');
  const LiffMockPlugin = plugin.LiffMockPlugin ?? (plugin as unknown as { default: { LiffMockPlugin: typeof plugin.LiffMockPlugin } }).default.LiffMockPlugin;
  const mockable = liff as MockableLiff;
  mockable.use(new LiffMockPlugin());
  await mockable.init({ liffId, mock: true });

  const login = async () => {
    const response = await fetch('/simulator-api/liff-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: simUser }),
    });
    if (!response.ok) throw new Error(`simulator login: ${response.status}`);
    const { idToken, displayName } = (await response.json()) as { idToken: string; displayName: string };
    mockable.$mock.set((previous) => ({
      ...previous,
      isLoggedIn: true,
      getIDToken: idToken,
      getDecodedIDToken: { sub: simUser, name: displayName },
      getProfile: { userId: simUser, displayName },
    }));
    return displayName;
  };
  const displayName = await login();
  return {
    mode: 'mock',
    localUserKey: simUser,
    displayName,
    idToken: () => liff.getIDToken() ?? '',
    openExternal: (url) => window.open(url, '_blank', 'noopener'),
    async refresh() {
      await login();
      return liff.getIDToken() ?? undefined;
    },
  };
}
