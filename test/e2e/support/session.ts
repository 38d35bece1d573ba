// What every browser test file sets up: the simulator app once for the file, and a phone per test whose page
// errors fail that test and which is closed after it (even when the test failed).
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { openPhone, type PhoneBrowser } from './browser.ts';
import { startSimulatorApp, type SimulatorApp } from './simulator-app.ts';

export interface SimulatorSession {
  /** The app of this file (started before the first test). */
  readonly sim: SimulatorApp;
  /** A fresh phone for this test, closed after it. */
  openPhone(options?: Parameters<typeof openPhone>[0]): Promise<PhoneBrowser>;
}

export function simulatorSession(now?: string, startTimeoutMs?: number): SimulatorSession {
  let sim: SimulatorApp | undefined;
  let phone: PhoneBrowser | undefined;
  beforeAll(async () => {
    sim = await startSimulatorApp(now);
  }, startTimeoutMs);
  afterEach(async () => {
    const used = phone;
    phone = undefined;
    try {
      expect(used?.errors ?? []).toEqual([]);
    } finally {
      await used?.close();
    }
  });
  afterAll(async () => {
    await sim?.close();
  });
  return {
    get sim() {
      if (!sim) throw new Error('the simulator app is not started yet (use it inside a test or a later beforeAll)');
      return sim;
    },
    async openPhone(options) {
      phone = await openPhone(options);
      return phone;
    },
  };
}
