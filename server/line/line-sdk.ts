// @line/bot-sdk, loaded on first use. It is some 750 modules: 0.2–0.4 s that every CLI command paid at start-up,
// though only the calls to LINE need it (an import of the registry makes none).
type LineSdk = typeof import('@line/bot-sdk');

let loading: Promise<LineSdk> | undefined;

export function lineSdk(): Promise<LineSdk> {
  loading ??= import('@line/bot-sdk');
  return loading;
}

/** A value made from the SDK once, when first asked for (a client of the Messaging API, say). */
export function fromLineSdk<T>(make: (sdk: LineSdk) => T): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= lineSdk().then(make);
    return made;
  };
}
