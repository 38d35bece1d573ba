// "Send soon": runs the dispatcher in the background right after something urgent was queued. Kicks that
// arrive while it runs are folded into one more run, so a burst of kicks costs at most two runs.
import type { Logger } from 'pino';

export function createDispatchKicker(dispatch: () => Promise<unknown>, log: Logger) {
  let running: Promise<void> | undefined;
  let again = false;
  return {
    kick(): void {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          try {
            await dispatch();
          } catch (error) {
            log.error({ err: error }, 'dispatch after a kick failed; the scheduled run will retry');
          }
        } while (again);
      })().finally(() => {
        running = undefined;
      });
    },
    /** Resolves when no kicked run is in progress. */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}
