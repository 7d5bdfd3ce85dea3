import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ServeStaticModule } from '@nestjs/serve-static';
import { LoggerModule } from 'nestjs-pino';
import { AlarmReceiverModule } from './alarm-receiver/alarm-receiver.module';
import { AlarmsModule } from './alarms/alarms.module';
import { ArchiveModule } from './archive/archive.module';
import { RecordsModule } from './records/records.module';
import { ReportsModule } from './reports/reports.module';
import { ShiftModule } from './shift/shift.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { EstateModule } from './estate/estate.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { RealtimeModule } from './realtime/realtime.module';
import { SlaModule } from './sla/sla.module';
import { TicketsModule } from './tickets/tickets.module';

/** Where the console's static build is, from apps/api/src or apps/api/dist alike. */
export function consoleDir(config: AppConfig): string {
  return resolve(config.CONSOLE_DIR ?? resolve(__dirname, '../../console/build'));
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const staticRoot = consoleDir(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Readable lines for a person at a terminal; JSON for production and for tests.
            ...(process.stdout.isTTY && config.NODE_ENV === 'development'
              ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
              : {}),
            // Request logs carry method, path and status only: no bodies, no headers (credentials),
            // no query strings (a search or a bad filter can carry a phone number).
            serializers: {
              req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }),
            },
            autoLogging: { ignore: (req) => req.url === '/api/health' },
          },
        }),
        DatabaseModule,
        EstateModule,
        IdentityModule,
        EventsModule,
        RealtimeModule,
        HealthModule,
        SlaModule,
        TicketsModule,
        AlarmsModule,
        ArchiveModule,
        ShiftModule,
        RecordsModule,
        ReportsModule,
        AlarmReceiverModule,
        // The console is a static single-page build served on the same port as the api.
        ...(existsSync(resolve(staticRoot, 'index.html'))
          ? [ServeStaticModule.forRoot({ rootPath: staticRoot, exclude: ['/api/{*rest}', '/socket.io/{*rest}'] })]
          : []),
      ],
    };
  }
}
