import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

// lib is ES2023 without DOM and @types/node 20 does not declare WebAssembly: just what is used here.
type WasmExports = Record<string, unknown>;
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: WasmExports } }>;
};

interface WasmBindgenModule {
  __wbg_set_wasm(exports: WasmExports): void;
}

interface PanicRegistry {
  message: string | undefined;
  set_message(message: string): void;
}

declare global {
  // The wasm panic hook reports the Rust panic message here; without it a panic surfaces as "unreachable".
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

let instantiated: Promise<void> | undefined;

/**
 * The package's own entry imports `.wasm` as an ES module, which Node does not support without a flag,
 * so the wasm-bindgen glue (`schema_engine_bg.js`) is wired to a module we instantiate ourselves. Once per process.
 */
function instantiateSchemaEngine(): Promise<void> {
  instantiated ??= (async () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: undefined,
      set_message(message: string) {
        this.message = message;
      },
    };
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': engineBindings,
    });
    (engineBindings as unknown as WasmBindgenModule).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

export interface OpenSchemaEngineOptions {
  /** Prisma schema files as [path, content]; only needed by commands that read the datasource block. */
  datamodels?: [string, string][];
  /** Receives the engine's JSON trace lines. */
  onTrace?: (line: string) => void;
}

export interface OpenedSchemaEngine {
  /** Runs one engine command; errors raised by the driver adapter are rethrown with their real message. */
  run<T>(command: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  /** Frees the engine and closes its connections (the engine itself never closes the pool it was given). */
  close(): Promise<void>;
}

/**
 * A Prisma schema engine (wasm) connected to `databaseUrl` through the pg driver adapter.
 * Shadow databases, when a command needs one, are created on the same server and dropped afterwards.
 */
export async function openSchemaEngine(
  databaseUrl: string,
  options: OpenSchemaEngineOptions = {},
): Promise<OpenedSchemaEngine> {
  await instantiateSchemaEngine();
  const clientConfig = parseIntoClientConfig(databaseUrl);
  const pool = enginePool(clientConfig);
  const main = new PrismaPg(pool);
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: main.provider,
    adapterName: main.adapterName,
    // Our own pool, so close() can end it: the engine never disposes its main connection.
    connect: async () => forSchemaEngine(await main.connect(), pool),
    // Not PrismaPg's own: it derives the shadow's config by spreading its config and overriding `database`, which
    // breaks with a pool (pg-pool hides the password from spreads) and with a connection string (node-postgres
    // lets it win over `database`), and it never closes the pool it used to create the database.
    connectToShadowDb: () => connectToShadowDatabase(clientConfig),
  });
  const explain = (error: unknown) => explainEngineError(error, factory.errorRegistry);
  let engine: SchemaEngine;
  try {
    engine = await engineBindings.SchemaEngine.new(
      { datamodels: options.datamodels },
      (line: string) => options.onTrace?.(line),
      factory,
    );
  } catch (error) {
    await pool.end();
    throw explain(error);
  }
  return {
    async run(command) {
      try {
        return await command(engine);
      } catch (error) {
        throw explain(error);
      }
    },
    async close() {
      engine.free();
      await pool.end();
    },
  };
}

/** Postgres' internal one-byte `"char"` type, used by catalog columns such as `pg_constraint.contype`. */
const PG_INTERNAL_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function enginePool(config: pg.ClientConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, max: 2 });
  pool.on('error', () => {});
  return pool;
}

interface PgQueryableInternals {
  queryRaw(query: SqlQuery): Promise<SqlResultSet>;
  performIO(query: SqlQuery): Promise<pg.QueryResult>;
  onError(error: unknown): never;
}

/**
 * Two gaps of @prisma/adapter-pg 7.10 when driving the schema engine, closed for the engine's connections only
 * (tied to the pinned adapter version; the migration tests exercise both):
 * - `executeScript` splits the script on every ";", which breaks function bodies and string literals. A migration
 *   is sent whole instead, as one simple-protocol query: Postgres runs it as one implicit transaction, as Prisma's
 *   native engine does.
 * - The schema describer reads catalog columns of type `"char"` (e.g. `pg_constraint.contype`) and expects them as
 *   Character values; the adapter rejects that type ("Column type 'char' could not be deserialized"). Such
 *   columns are reported as Character by hooking the adapter's internal `performIO`.
 */
function forSchemaEngine(adapter: SqlDriverAdapter, pool: pg.Pool): SqlDriverAdapter {
  const base = adapter as unknown as PgQueryableInternals;
  const wrapped = Object.create(adapter) as SqlDriverAdapter;
  wrapped.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (error) {
      base.onError.call(adapter, error);
    }
  };
  wrapped.queryRaw = async (query) => {
    let charColumns: number[] = [];
    const call = Object.create(wrapped) as PgQueryableInternals;
    call.performIO = async (io) => {
      const result = await base.performIO.call(call, io);
      charColumns = [];
      result.fields.forEach((field, index) => {
        if (field.dataTypeID !== PG_INTERNAL_CHAR_OID) return;
        charColumns.push(index);
        field.dataTypeID = PG_TEXT_OID;
      });
      return result;
    };
    const resultSet = await base.queryRaw.call(call, query);
    for (const index of charColumns) resultSet.columnTypes[index] = ColumnTypeEnum.Character;
    return resultSet;
  };
  return wrapped;
}

/** A scratch database on the same server, dropped when the engine disposes of it. */
async function connectToShadowDatabase(clientConfig: pg.ClientConfig): Promise<SqlDriverAdapter> {
  const admin = new pg.Client(clientConfig);
  admin.on('error', () => {});
  await admin.connect();
  const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    const shadowPool = enginePool({ ...clientConfig, database: name });
    const adapter = await new PrismaPg(shadowPool).connect();
    const shadow = forSchemaEngine(adapter, shadowPool);
    shadow.dispose = async () => {
      await adapter.dispose();
      await shadowPool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  } catch (error) {
    await admin.end().catch(() => {});
    throw error;
  }
}

interface ErrorRegistry {
  consumeError(id: number): { error: unknown } | undefined;
}

/**
 * The engine reports failures of the JS driver adapter as "External error id#N"; the real error (e.g. a
 * Postgres error with its message and code) sits in the adapter factory's registry under N.
 */
function explainEngineError(error: unknown, registry: ErrorRegistry): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const match = /External error id#(\d+)/.exec(firstLine);
  const external = match?.[1] === undefined ? undefined : registry.consumeError(Number(match[1]))?.error;
  if (external === undefined) return new Error(`schema engine: ${firstLine}`, { cause: error });
  const detail = describeAdapterError(external);
  return new Error(`schema engine: ${detail}`, { cause: external });
}

function describeAdapterError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const record = error as { message?: unknown; kind?: unknown; originalMessage?: unknown; cause?: unknown };
  if (record.cause && typeof record.cause === 'object') return describeAdapterError(record.cause);
  const text = record.originalMessage ?? record.message;
  return typeof text === 'string' ? `${String(record.kind ?? 'error')}: ${text}` : JSON.stringify(error);
}
