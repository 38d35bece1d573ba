// Errors that stop a process at start-up for a reason its operator can fix (configuration, a locked data folder,
// the wrong encryption key): the entry points print their Thai/English message and exit, without a stack trace.
export class StartupError extends Error {}
