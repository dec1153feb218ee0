import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Pool } from 'pg';
import type { DatabaseConfig } from '@cairn/config';
import type { SchemaDefinition } from './migrations';
import { assertSchemaCurrent } from './migrations';

export const PG_POOL = Symbol('PG_POOL');

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}
  async onApplicationShutdown() {
    await this.pool.end();
  }
}

/**
 * A connection pool for one service's schema. Booting checks the schema version first, so a
 * service never runs against a database that `cairn db upgrade` has not brought up to date.
 */
@Module({})
export class DatabaseModule {
  static forSchema(def: SchemaDefinition, config: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: PG_POOL,
          useFactory: async () => {
            const pool = new Pool({
              connectionString: config.databaseUrl,
              max: config.poolSize,
              application_name: `cairn-${def.schema}`,
              // Short, LIMITed OLTP queries: parallel workers cost more to start than they save
              // (measured: 29 ms parallel vs 5.7 ms serial for a filtered run search).
              options: '-c max_parallel_workers_per_gather=0',
            });
            pool.on('error', () => undefined); // idle-client errors: the next query reports them
            try {
              await assertSchemaCurrent(pool, def);
            } catch (err) {
              await pool.end();
              throw err;
            }
            return pool;
          },
        },
        PoolCloser,
      ],
      exports: [PG_POOL],
    };
  }
}
