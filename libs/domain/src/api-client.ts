import type { AnyDomainEvent } from './events';
import type { ReporterView } from './personal-data';
import type { Category, Channel, Department, IntakeKind, Priority, TicketStatus } from './ticket';
import type { ActionField, CallbackOutcome, ContactChannel, ContactOutcome, MuteMinutes, OwnerNoticeChannel, Satisfaction, TicketAction } from './ticket-actions';
import type { AreaView, DeviceStatus, EstateRules, RepeatCheck, SlaBoard, StaffLoad, TicketPage, TicketPreview, TicketView, UnitLookup } from './views';
import type { AlarmOutcome, Severity } from './alarms';
import type { StepAnswer } from './alarm-procedures';
import type { OwnerCard, ResidentView } from './archive';
import type { HandoverDraft, HandoverView } from './shift';

/** POST /api/tickets. */
export interface CreateTicketInput {
  kind: IntakeKind;
  channel: Channel;
  category: Category;
  description: string;
  priority?: Priority;
  location: { unit: string } | { area: string };
  reporter?: { name: string; phone: string };
  /** `inWarranty` is computed from the handover date; give it (with `warrantyReason`) only to override. */
  repair?: { inUnit: boolean; inWarranty?: boolean; warrantyReason?: string; paid: boolean };
}

/** POST /api/tickets/preview: what identifies a report, before it is logged. */
export interface TicketPreviewInput {
  kind: IntakeKind;
  category: Category;
  location: { unit: string } | { area: string };
  priority?: Priority;
  reporterPhone?: string;
  repair?: { inUnit: boolean; inWarranty?: boolean; warrantyReason?: string; paid: boolean };
}

export interface RepairSheetInput {
  labour: string;
  parts: Array<{ name: string; quantity: number; unitPrice?: number }>;
  ownerOpinion?: string;
}

/** POST /api/tickets/:id/actions: the step, the version the caller saw, and the step's fields. */
export interface TicketActionInput {
  action: TicketAction;
  version: number;
  department?: Department;
  assigneeId?: string;
  reason?: string;
  note?: string;
  agreedAt?: string;
  ownerToldVia?: OwnerNoticeChannel;
  result?: string;
  satisfaction?: Satisfaction;
  answer?: string;
  repairSheet?: RepairSheetInput;
  /** An alarm's outcome (clear), a contact's (reached/unreachable), a callback's (no_owner) or a procedure question's answer (yes/no). */
  outcome?: AlarmOutcome | ContactOutcome | CallbackOutcome | StepAnswer;
  severity?: Severity;
  minutes?: MuteMinutes;
  via?: ContactChannel;
  /** The key of the procedure step ticked (step). */
  step?: string;
}
// Every field the domain table names has a typed place in the body.
type _EveryFieldTyped = ActionField extends keyof TicketActionInput ? true : never;
const _everyFieldTyped: _EveryFieldTyped = true;
void _everyFieldTyped;

/** GET /api/tickets/:id. */
export interface TicketDetail {
  ticket: TicketView;
  reporter: ReporterView | null;
  timeline: AnyDomainEvent[];
  linkedRepairs: Array<{ id: string; number: string; status: TicketStatus }>;
  /** The unit's owner card (its people masked, its open tickets), for the desk; null elsewhere. */
  ownerCard: OwnerCard | null;
}

export interface ListTicketsParams {
  status?: string;
  department?: Department;
  kind?: string;
  cursor?: string;
  limit?: number;
}

/** The api's error body: each refused field with its reason; a 409 carries the ticket as it is now. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Array<{ field: string; reason: string }>;
  current?: TicketView;
}

/**
 * A refused or failed request. `status` 0 means it never reached the server (offline): the
 * caller must say so, since nothing was done.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.details?.length ? body.details.map((detail) => `${detail.field}: ${detail.reason}`).join('; ') : body.message);
    this.name = 'ApiError';
  }

  get offline(): boolean {
    return this.status === 0;
  }
}

/** The parts of fetch the client uses (the library has no DOM types: browsers and Node both fit). */
export interface RequestLike {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}
export interface ResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  json(): Promise<unknown>;
}
export type FetchLike = (path: string, init?: RequestLike) => Promise<ResponseLike>;

/**
 * The typed client of API.md's routes, for the console and the tests. `fetch` adds the
 * bearer token (and the base address where there is one); every non-2xx answer throws an ApiError.
 */
export function createApiClient(fetchFn: FetchLike) {
  async function call<T>(path: string, init: RequestLike = {}): Promise<T> {
    let response: ResponseLike;
    try {
      response = await fetchFn(path, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
    } catch (error) {
      throw new ApiError(0, { statusCode: 0, error: 'Offline', message: error instanceof Error ? error.message : 'network error' });
    }
    const body = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const error = (body ?? { statusCode: response.status, error: response.statusText, message: response.statusText }) as ApiErrorBody;
      throw new ApiError(response.status, error);
    }
    return body as T;
  }
  const post = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
    call<T>(path, { method: 'POST', body: JSON.stringify(body), headers });
  const query = (params: object) => {
    const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== '') as Array<[string, string | number]>;
    return entries.length ? `?${entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}` : '';
  };

  return {
    tickets: {
      list: (params: ListTicketsParams = {}) => call<TicketPage>(`/api/tickets${query(params)}`),
      get: (id: string) => call<TicketDetail>(`/api/tickets/${encodeURIComponent(id)}`),
      create: (input: CreateTicketInput, idempotencyKey?: string) =>
        post<TicketView & { seq: number }>('/api/tickets', input, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      act: (id: string, input: TicketActionInput) => post<TicketView & { seq: number }>(`/api/tickets/${encodeURIComponent(id)}/actions`, input),
      repeatCheck: (input: { kind: IntakeKind; category: Category; location: { unit: string } | { area: string }; reporterPhone?: string }) =>
        post<RepeatCheck>('/api/tickets/repeat-check', input),
      preview: (input: TicketPreviewInput) => post<TicketPreview>('/api/tickets/preview', input),
      search: (q: string, limit?: number) => post<TicketPage>('/api/tickets/search', { q, ...(limit ? { limit } : {}) }),
      reveal: (id: string) => post<{ name: string | null; phone: string | null; source: 'reporter' | 'owner' | null }>(`/api/tickets/${encodeURIComponent(id)}/reveal`, {}),
    },
    estate: {
      rules: () => call<EstateRules>('/api/estate/rules'),
      units: (q: string, limit = 8) => call<UnitLookup[]>(`/api/estate/units${query({ q, limit })}`),
      areas: () => call<AreaView[]>('/api/estate/areas'),
    },
    archive: {
      residents: (unit: string) => call<ResidentView[]>(`/api/units/${encodeURIComponent(unit)}/residents`),
      reveal: (id: string, reason: string) => post<ResidentView>(`/api/residents/${encodeURIComponent(id)}/reveal`, { reason }),
    },
    shift: {
      get: () => call<{ onDuty: boolean }>('/api/shift'),
      set: (onDuty: boolean) => post<{ onDuty: boolean }>('/api/shift', { onDuty }),
    },
    handovers: {
      draft: () => call<HandoverDraft>('/api/handovers/draft'),
      list: (q?: string) => call<HandoverView[]>(`/api/handovers${query({ q })}`),
      submit: (input: { draftedAt: string; notes?: string }) => post<HandoverView>('/api/handovers', input),
      sign: (id: string, note?: string) => post<HandoverView>(`/api/handovers/${encodeURIComponent(id)}/sign`, note ? { note } : {}),
    },
    devices: {
      list: () => call<DeviceStatus[]>('/api/devices'),
    },
    staff: {
      list: (department?: Department) => call<StaffLoad[]>(`/api/staff${query({ department })}`),
    },
    sla: {
      board: (hours?: number) => call<SlaBoard>(`/api/sla/board${query({ hours })}`),
    },
    events: {
      after: (after: number, limit?: number) => call<{ items: AnyDomainEvent[]; lastSeq: number }>(`/api/events${query({ after, limit })}`),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
