import type Database from "better-sqlite3";
import { Prisma } from "@prisma/client";
import { randomBytes } from "node:crypto";

/**
 * Plain SQL on the connection Prisma's SQLite adapter uses, for the hot paths (a webhook applied,
 * a storefront read), where Prisma's per-query cost (compiling the query in WebAssembly, preparing
 * the statement anew) is most of the time spent. Statements are prepared once per connection, and
 * rows come back with the same types Prisma gives (Date, boolean), so code can mix the two inside
 * one transaction: it is one connection and one SQLite transaction. See
 * docs/decisions/012-sql-hot-paths.md.
 */

export type Model = Prisma.ModelName;
type Value = string | number | bigint | boolean | Date | null | undefined | Buffer;

let lastDateMs = NaN;
let lastDateText = "";
/**
 * A DateTime as Prisma's SQLite adapter stores it: ISO text with "+00:00", so text order is time
 * order. The last one is remembered: a batch binds the same `now` to thousands of rows.
 */
export function sqlDate(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastDateMs) {
    lastDateText = date.toISOString().replace("Z", "+00:00");
    lastDateMs = ms;
  }
  return lastDateText;
}

function bindable(value: Value): string | number | bigint | Buffer | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return sqlDate(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

export interface ModelShape {
  dates: string[];
  booleans: string[];
  /** Fields filled at insert when not given: ids and now()-stamps (the database defaults cannot write either form). */
  generatedIds: string[];
  stampedOnCreate: string[];
  updatedAt: string | null;
}

/**
 * What Prisma fills in at insert and SQLite's column defaults cannot (a cuid, a now() in Prisma's
 * date form): every model's `id` unless listed in MODELS_WITHOUT_GENERATED_ID, `createdAt` and
 * `updatedAt`, and these. The runtime client does not carry defaults, so they are written here;
 * tests/unit/sql.test.ts checks them against prisma/schema.prisma.
 */
export const NOW_DEFAULTS: Partial<Record<Model, string[]>> = {
  Shop: ["installedAt"],
  Member: ["enrolledAt"],
  WebhookDelivery: ["receivedAt"],
  OutboxMessage: ["nextAttemptAt"],
};
export const MODELS_WITHOUT_GENERATED_ID: ReadonlySet<Model> = new Set<Model>([
  "Session", "Program", "AdminSetup", "AutomationSettings", "MessageTrigger", "MessageOptOut",
]);

const shapes = new Map<string, ModelShape>();

/** The columns of `model` that need converting or generating, from Prisma's runtime model. */
export function shapeOf(model: Model): ModelShape {
  let shape = shapes.get(model);
  if (shape) return shape;
  const fields = Prisma.dmmf.datamodel.models.find((m) => m.name === model)?.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
  if (!fields) throw new Error(`no model ${model}`);
  const has = (name: string) => fields.some((f) => f.name === name);
  shape = {
    dates: fields.filter((f) => f.type === "DateTime").map((f) => f.name),
    booleans: fields.filter((f) => f.type === "Boolean").map((f) => f.name),
    generatedIds: has("id") && !MODELS_WITHOUT_GENERATED_ID.has(model) ? ["id"] : [],
    stampedOnCreate: [...["createdAt", "updatedAt"].filter(has), ...(NOW_DEFAULTS[model] ?? [])],
    updatedAt: has("updatedAt") ? "updatedAt" : null,
  };
  shapes.set(model, shape);
  return shape;
}

let lastTime = 0;
let counter = 0;
/** Random per process (and thread): ids made in the same millisecond elsewhere still differ. */
const origin = randomBytes(6).toString("hex");
/** A cuid-like id: time first (base 36), so ids made later sort later, like Prisma's cuid(). */
export function newId(): string {
  // Never behind the last id's time, even if the clock steps back.
  const now = Math.max(Date.now(), lastTime);
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  return `c${now.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${origin}`;
}

export class Sql {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();

  constructor(readonly connection: Database.Database) {}

  private statement(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      // Prisma's adapter turns on BigInt integers for the connection; our numbers (points, counts,
      // minor units under 10^13) are safe integers, so plain numbers here.
      statement = this.connection.prepare(text);
      if (statement.reader) statement.safeIntegers(false);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The statement prepared a second time, returning rows as arrays (better-sqlite3's raw mode). */
  private rawStatement(text: string): Database.Statement {
    let statement = this.rawStatements.get(text);
    if (!statement) {
      statement = this.connection.prepare(text);
      statement.safeIntegers(false);
      statement.raw(true);
      this.rawStatements.set(text, statement);
    }
    return statement;
  }

  get<T>(text: string, ...params: Value[]): T | undefined {
    return this.statement(text).get(...params.map(bindable)) as T | undefined;
  }

  all<T>(text: string, ...params: Value[]): T[] {
    return this.statement(text).all(...params.map(bindable)) as T[];
  }

  /**
   * Rows as arrays of their column values in the SELECT's order, as SQLite gives them (dates as
   * text, booleans as 0/1). For reads of many thousands of rows (the batch passes): the driver
   * builds no object per row, which costs more than reading the row.
   */
  tuples<T extends unknown[]>(text: string, ...params: Value[]): T[] {
    return this.rawStatement(text).all(...params.map(bindable)) as T[];
  }

  run(text: string, ...params: Value[]): Database.RunResult {
    return this.statement(text).run(...params.map(bindable));
  }

  /** One row of `model` (selected with `*`), typed as Prisma would return it. */
  one<T>(model: Model, text: string, ...params: Value[]): T | null {
    const row = this.get<Record<string, unknown>>(text, ...params);
    return row ? fromRow<T>(model, row) : null;
  }

  many<T>(model: Model, text: string, ...params: Value[]): T[] {
    return this.all<Record<string, unknown>>(text, ...params).map((row) => fromRow<T>(model, row));
  }

  /** Inserts a row of `model`, filling its generated id and now() stamps; returns the row as written. */
  insert<T>(model: Model, data: Record<string, Value>, now = new Date()): T {
    const shape = shapeOf(model);
    const row: Record<string, Value> = { ...data };
    for (const field of shape.generatedIds) row[field] ??= newId();
    for (const field of shape.stampedOnCreate) row[field] ??= now;
    const columns = Object.keys(row).filter((key) => row[key] !== undefined).sort();
    const text = `INSERT INTO "${model}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
    this.run(text, ...columns.map((c) => row[c]));
    return row as T;
  }

  /** Updates the row of `model` with this id (and its @updatedAt stamp); returns the number changed. */
  update(model: Model, id: string, data: Record<string, Value>, now = new Date()): number {
    const shape = shapeOf(model);
    const row: Record<string, Value> = { ...data };
    if (shape.updatedAt) row[shape.updatedAt] ??= now;
    const columns = Object.keys(row).filter((key) => row[key] !== undefined).sort();
    const text = `UPDATE "${model}" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE "id" = ?`;
    return this.run(text, ...columns.map((c) => row[c]), id).changes;
  }
}

/** A row read with plain SQL, with Prisma's types: Date for DateTime, boolean for Boolean. */
export function fromRow<T>(model: Model, row: Record<string, unknown>): T {
  const shape = shapeOf(model);
  for (const field of shape.dates) {
    const value = row[field];
    if (value !== null && value !== undefined) row[field] = new Date(value as string | number);
  }
  for (const field of shape.booleans) {
    if (field in row && row[field] !== null) row[field] = row[field] === 1 || row[field] === true;
  }
  return row as T;
}
