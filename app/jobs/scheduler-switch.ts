/** Whether this process runs the scheduler: on, unless TIERWISE_SCHEDULER=off (or under Vitest, unless =on). */
export function schedulerEnabled(env: Record<string, string | undefined> = process.env): boolean {
  if (env.TIERWISE_SCHEDULER === "on") return true;
  if (env.TIERWISE_SCHEDULER === "off") return false;
  return !env.VITEST;
}
