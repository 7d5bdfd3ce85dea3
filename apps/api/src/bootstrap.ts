import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, consoleDir } from './app.module';
import { consolePolicy } from './common/content-security-policy';
import { errorBody } from './common/errors';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/env';
import { FanoutIoAdapter } from './realtime/socket-io.adapter';
import { allowedOrigins } from './realtime/socket-origin';
import { SHEET_BODY_LIMIT, SHEET_UPLOAD_TYPES } from './common/sheet-file';

/** Largest JSON body accepted: a ticket is a few hundred bytes; 1 MB descriptions get 413. */
export const JSON_BODY_LIMIT = '64kb';
/** Deepest JSON accepted: the api's own bodies nest three levels; validation recurses per level. */
export const JSON_MAX_DEPTH = 16;

/** Builds the app exactly as production runs it; main.ts and the tests both call this. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Secure headers: helmet's, and the console's content-security policy (see below).
  // Behind nginx every request comes from the proxy: the client's address (sign-in limits,
  // access records) is read from X-Forwarded-For, trusting only the configured hops.
  if (config.TRUST_PROXY !== undefined) app.getHttpAdapter().getInstance().set('trust proxy', config.TRUST_PROXY);
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  app.use(contentSecurityPolicy(consolePolicy(consoleDir(config))));
  // A spreadsheet for the owner archive comes as the file itself (CSV or XLSX), on that route only.
  app.use('/api/archive/import', express.raw({ type: SHEET_UPLOAD_TYPES, limit: SHEET_BODY_LIMIT }));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(cookieParser());
  app.use(bodyParserErrors);
  app.use(refuseDeepBodies);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  const origins = allowedOrigins(config.CORS_ORIGINS);
  if (origins.length > 0) app.enableCors({ origin: origins });
  app.enableShutdownHooks();

  const adapter = new FanoutIoAdapter(app, origins);
  await adapter.connect();
  app.useWebSocketAdapter(adapter);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Dispatch console api')
      .setDescription('报事报修: tickets, the event log, alarms and SLA clocks of a property-management service centre')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** Where the OpenAPI page lives: Swagger UI styles itself inline and is not the console. */
const DOCS_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/** Every response carries the console's policy (one policy for the page and what it loads); the docs their own. */
function contentSecurityPolicy(policy: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', req.path.startsWith('/api/docs') ? DOCS_POLICY : policy);
    next();
  };
}

/** Refuses bodies nested deeper than JSON_MAX_DEPTH before validation recurses into them. */
function refuseDeepBodies(req: Request, res: Response, next: NextFunction): void {
  if (depthExceeds(req.body, JSON_MAX_DEPTH)) {
    res.status(400).json(errorBody(400, `Request body nests deeper than ${JSON_MAX_DEPTH} levels`, [{ field: 'body', reason: `nests deeper than ${JSON_MAX_DEPTH} levels` }]));
    return;
  }
  next();
}

/** Iterative, so a hostile body cannot overflow the stack of the check itself. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Malformed or oversized JSON is answered in the api's error shape, before any handler runs. */
function bodyParserErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const failure = error as { type?: string; status?: number } | null;
  if (failure?.type === 'entity.too.large') {
    const limit = req.path.startsWith('/api/archive/import') ? SHEET_BODY_LIMIT : JSON_BODY_LIMIT;
    res.status(413).json(errorBody(413, `Request body is larger than ${limit}`, [{ field: 'body', reason: `larger than ${limit}` }]));
    return;
  }
  if (failure?.type === 'entity.parse.failed') {
    res.status(400).json(errorBody(400, 'Request body is not valid JSON', [{ field: 'body', reason: 'is not valid JSON' }]));
    return;
  }
  if (failure?.status && failure.status >= 400 && failure.status < 500) {
    res.status(failure.status).json(errorBody(failure.status, 'Request body could not be read'));
    return;
  }
  next(error);
}
