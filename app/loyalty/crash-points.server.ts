/**
 * Named places between two writes that must survive a crash. In production this does nothing.
 * The crash-safety tests start the server with TIERWISE_CRASH_AT=<name> (only honoured when
 * TIERWISE_CRASH_TESTS=1 as well), and the process kills itself there with SIGKILL: no cleanup,
 * no finally blocks, exactly like a power cut or an OOM kill.
 */
export type CrashPoint =
  | "redemption:after-debit"
  | "redemption:after-platform-create"
  | "redemption:after-issued"
  | "inbox:after-accept"
  | "inbox:after-claim";

export function crashPoint(name: CrashPoint) {
  if (process.env.TIERWISE_CRASH_TESTS === "1" && process.env.TIERWISE_CRASH_AT === name) {
    process.kill(process.pid, "SIGKILL");
  }
}
