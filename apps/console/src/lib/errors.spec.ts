import { ApiError } from '@dispatch/domain';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors';
import { en } from './i18n/en';
import { zh } from './i18n/zh';

/** A translator over one of the console's dictionaries, as svelte-i18n would format it. */
const translator = (dictionary: { errors: Record<string, string> }) => (key: string, options?: { values?: Record<string, string | number> }) => {
  const template = dictionary.errors[key.replace('errors.', '')];
  if (!template) throw new Error(`no text for ${key}`);
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(options?.values?.[name] ?? ''));
};
const failure = (status: number, message = 'x') => new ApiError(status, { statusCode: status, error: 'e', message });

describe('errors as the person at the screen reads them', () => {
  it.each([
    [0, '网络已断开'],
    [401, '重新登录'],
    [403, '没有此操作的权限'],
    [404, '找不到该工单'],
    [409, '已刷新为最新状态'],
    [429, '稍后再试'],
    [503, '服务器暂时不可用'],
  ])('status %i says what happened and what to do', (status, words) => {
    expect(describeError(failure(status), translator(zh))).toContain(words);
  });

  it('names the field to fix on a 400, and never shows a bare status or "Failed to fetch"', () => {
    expect(describeError(failure(400, 'reason: must not be blank'), translator(zh))).toBe('请检查填写内容：reason: must not be blank');
    for (const status of [0, 401, 403, 404, 429, 500, 502, 503]) {
      const text = describeError(failure(status, 'Service Unavailable'), translator(en));
      expect(text).not.toMatch(/Failed to fetch|Service Unavailable|\b\d{3}\b/);
    }
    expect(describeError(new TypeError('Failed to fetch'), translator(en))).not.toContain('Failed to fetch');
  });
});
