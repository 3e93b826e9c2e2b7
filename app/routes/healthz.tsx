import db from "../db.server";

/** Liveness and database reachability, for process managers and the test harness. */
export const loader = async () => {
  await db.$queryRaw`SELECT 1`;
  return Response.json({ ok: true });
};
