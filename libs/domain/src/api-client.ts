import type { AnyDomainEvent } from './events';
import type { ReporterView } from './personal-data';
import type { Category, Channel, Department, IntakeKind, Priority, TicketStatus } from './ticket';
import type { ActionField, CallbackOutcome, ContactChannel, ContactOutcome, MuteMinutes, OwnerNoticeChannel, Satisfaction, TicketAction } from './ticket-actions';
import type { AreaView, DeviceStatus, EstateRules, RepeatCheck, SlaBoard, StaffLoad, TicketPage, TicketPreview, TicketView, UnitLookup } from './views';
import type { AlarmOutcome, Severity } from './alarms';
import type { StepAnswer } from './alarm-procedures';
import type { OwnerCard, ResidentRecord, ResidentView } from './archive';
import type { ArchiveImportReport } from './archive-sheet';
import type { HandoverDraft, HandoverView, RosterDay } from './shift';
import type { HotComplaintsReport, KpiReport, StoredReport, StoredReportSummary, TicketListParams, TicketListReport, UnfinishedReport } from './reports';
import type { ChronicleEntryView, ChronicleKind, TeamDayLine, UnitChronicle, WorkLogEntryView, WorkLogView } from './records';

/** POST /api/units/:code/residents (and, partly, PATCH /api/residents/:id). */
export type ResidentInput = Partial<Omit<ResidentRecord, 'role' | 'name'>> & Pick<ResidentRecord, 'role' | 'name'>;

/** GET /api/reports/kpi: the period (the estate's days, both included) and whose tickets. */
export interface KpiParams {
  from: string;
  to: string;
  department?: Department;
  staffId?: string;
}

/** GET /api/archive/accuracy: 档案信息准确率. */
export interface ArchiveAccuracy {
  months: number;
  verified: number;
  current: number;
  rate: number | null;
}

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
  /** When the desk began taking the call, on server time (平均响应时间 runs from here). */
  intakeStartedAt?: string;
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
  /** JSON text, or a file's bytes (an archive import). */
  body?: string | ArrayBuffer;
  headers?: Record<string, string>;
}
export interface ResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  json(): Promise<unknown>;
  /** A file the api answers with (an export). */
  arrayBuffer(): Promise<ArrayBuffer>;
}
export type FetchLike = (path: string, init?: RequestLike) => Promise<ResponseLike>;

/**
 * The typed client of API.md's routes, for the console and the tests. `fetch` adds the
 * bearer token (and the base address where there is one); every non-2xx answer throws an ApiError.
 */
export function createApiClient(fetchFn: FetchLike) {
  async function send(path: string, init: RequestLike): Promise<ResponseLike> {
    let response: ResponseLike;
    try {
      response = await fetchFn(path, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
    } catch (error) {
      throw new ApiError(0, { statusCode: 0, error: 'Offline', message: error instanceof Error ? error.message : 'network error' });
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as unknown;
      const error = (body ?? { statusCode: response.status, error: response.statusText, message: response.statusText }) as ApiErrorBody;
      throw new ApiError(response.status, error);
    }
    return response;
  }
  async function call<T>(path: string, init: RequestLike = {}): Promise<T> {
    const response = await send(path, init);
    return (await response.json().catch(() => null)) as T;
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
      residents: (unit: string, movedOut = false) => call<ResidentView[]>(`/api/units/${encodeURIComponent(unit)}/residents${query({ movedOut: movedOut || undefined })}`),
      add: (unit: string, input: ResidentInput) => post<ResidentView>(`/api/units/${encodeURIComponent(unit)}/residents`, input),
      edit: (id: string, input: Partial<ResidentInput> & { version: number }) => call<ResidentView>(`/api/residents/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(input) }),
      moveOut: (id: string, reason?: string) => post<ResidentView>(`/api/residents/${encodeURIComponent(id)}/move-out`, reason ? { reason } : {}),
      verify: (id: string) => post<ResidentView>(`/api/residents/${encodeURIComponent(id)}/verify`, {}),
      reveal: (id: string, reason: string) => post<ResidentView>(`/api/residents/${encodeURIComponent(id)}/reveal`, { reason }),
      search: (by: { phone: string } | { plate: string }) => call<ResidentView[]>(`/api/residents/search${query(by)}`),
      accuracy: (months?: number) => call<ArchiveAccuracy>(`/api/archive/accuracy${query({ months })}`),
      /** The spreadsheet's bytes as they are (CSV or XLSX; the api tells them apart); dry: report only. */
      import: (file: ArrayBuffer, dryRun: boolean) =>
        call<ArchiveImportReport>(`/api/archive/import${query({ dryRun: dryRun ? 'true' : undefined })}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } }),
      /** Every record in full, as the file's bytes; logged with the reason. */
      export: async (input: { format: 'csv' | 'xlsx'; locale?: 'zh' | 'en'; reason: string }) =>
        (await send('/api/archive/export', { method: 'POST', body: JSON.stringify(input) })).arrayBuffer(),
    },
    reports: {
      kpi: (params: KpiParams) => call<KpiReport & { scope: { department?: Department; staffId?: string } }>(`/api/reports/kpi${query(params)}`),
      weekly: (date?: string) => call<HotComplaintsReport>(`/api/reports/weekly${query({ date })}`),
      unfinished: (date?: string) => call<UnfinishedReport>(`/api/reports/unfinished${query({ date })}`),
      tickets: (params: TicketListParams) => call<TicketListReport>(`/api/reports/tickets${query({ ...params })}`),
      stored: () => call<StoredReportSummary[]>('/api/reports/stored'),
      storedOne: (id: string) => call<StoredReport>(`/api/reports/stored/${encodeURIComponent(id)}`),
      /** A report as a file for the meeting: CSV or XLSX, headers in `locale`. */
      file: async (report: 'kpi' | 'weekly' | 'unfinished' | 'tickets', params: Partial<KpiParams> & Partial<TicketListParams> & { date?: string }, format: 'csv' | 'xlsx', locale: 'zh' | 'en') =>
        (await send(`/api/reports/${report}${query({ ...params, format, locale })}`, {})).arrayBuffer(),
    },
    rosters: {
      day: (date?: string) => call<RosterDay>(`/api/rosters${query({ date })}`),
      set: (date: string, department: Department, shifts: Array<{ staffId: string; start: string; end: string }>) =>
        call<RosterDay>(`/api/rosters/${encodeURIComponent(date)}/${encodeURIComponent(department)}`, { method: 'PUT', body: JSON.stringify({ shifts }) }),
    },
    worklog: {
      day: (params: { date?: string; staffId?: string } = {}) => call<WorkLogView>(`/api/worklog${query(params)}`),
      /** `key`: one per note, the same when the note is sent again. */
      note: (text: string, key: string, at?: string) => post<WorkLogEntryView>('/api/worklog', at ? { text, at } : { text }, { 'idempotency-key': key }),
      team: (date?: string) => call<TeamDayLine[]>(`/api/worklog/team${query({ date })}`),
    },
    chronicle: {
      of: (unit: string) => call<UnitChronicle>(`/api/units/${encodeURIComponent(unit)}/chronicle`),
      add: (unit: string, input: { kind: ChronicleKind; note: string; at?: string }) => post<ChronicleEntryView>(`/api/units/${encodeURIComponent(unit)}/chronicle`, input),
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
