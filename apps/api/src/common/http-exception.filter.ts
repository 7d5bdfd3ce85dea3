import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '../database/db-errors';
import type { Response } from 'express';
import { errorBody, type ErrorBody, RetryLaterException } from './errors';

const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Every error leaves as `{statusCode, error, message, details?}`; never a stack trace. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(caught: unknown, host: ArgumentsHost): void {
    let exception = caught;
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    if (isDatabaseUnavailable(exception)) {
      // A fault of the database, not of the request: one line, no stack, and a time to come back.
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      exception = new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_RETRY_AFTER_SECONDS, 'The database is unavailable; nothing was changed. Try again shortly.');
    }
    if (exception instanceof RetryLaterException) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(statusOf(exception)).json(toErrorBody(exception, this.logger));
  }
}

function statusOf(exception: unknown): number {
  return exception instanceof HttpException ? exception.getStatus() : 500;
}

export function toErrorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'details' in response) {
      return response as ErrorBody;
    }
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return errorBody(status, Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message));
  }
  // Log the cause for operators (error objects carry no personal data), answer opaquely.
  logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
  return errorBody(500, 'Internal server error');
}
