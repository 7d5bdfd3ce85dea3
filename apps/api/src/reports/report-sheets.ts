import {
  CATEGORY_LABELS,
  CLOCK_LABELS,
  type ClockKind,
  DEPARTMENT_LABELS,
  type HotComplaintsReport,
  KPI_LABELS,
  KIND_LABELS,
  type KpiReport,
  type Label,
  type MeanFigure,
  minuteIn,
  type RateFigure,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  type TicketListReport,
  type TicketStatus,
  type UnfinishedReport,
} from '@dispatch/domain';

type Locale = 'zh' | 'en';
export interface Sheet {
  title: string;
  header: string[];
  rows: string[][];
}

const say = (label: Label, locale: Locale) => label[locale];
const TOO_SMALL: Label = { zh: '样本不足', en: 'n too small' };

function rateCells(figure: RateFigure, locale: Locale): string[] {
  return [String(figure.numerator), String(figure.denominator), figure.rate === null ? say(TOO_SMALL, locale) : `${(figure.rate * 100).toFixed(1)}%`];
}
function meanCells(figure: MeanFigure, locale: Locale): string[] {
  const minutes = (value: number | null) => (value === null ? say(TOO_SMALL, locale) : (value / 60).toFixed(1));
  return ['', String(figure.count), minutes(figure.average), minutes(figure.median)];
}

/** The KPI report as rows: the figure, its numerator and denominator, the value (minutes for times). */
export function kpiSheet(report: KpiReport, locale: Locale): Sheet {
  const header = locale === 'zh' ? ['指标', '分子', '分母', '数值', '中位数（分钟）'] : ['Figure', 'Numerator', 'Denominator', 'Value', 'Median (minutes)'];
  const rate = (key: keyof typeof KPI_LABELS, figure: RateFigure) => [say(KPI_LABELS[key], locale), ...rateCells(figure, locale), ''];
  const mean = (key: keyof typeof KPI_LABELS, figure: MeanFigure) => {
    const [, count, average, median] = meanCells(figure, locale);
    return [`${say(KPI_LABELS[key], locale)}${locale === 'zh' ? '（分钟）' : ' (minutes)'}`, '', count, average, median];
  };
  const rows = [
    mean('responseSeconds', report.responseSeconds),
    rate('repairTimeliness', report.repairTimeliness),
    rate('complaintFirstTime', report.complaintFirstTime),
    rate('complaintSatisfaction', report.complaintSatisfaction),
    rate('callbackRate', report.callbackRate),
    rate('satisfaction', report.satisfaction),
    [say(KPI_LABELS.praise, locale), '', '', String(report.praise), ''],
    [say(KPI_LABELS.suggestions, locale), '', '', String(report.suggestions), ''],
    mean('handlingSeconds', report.handlingSeconds),
    mean('alarmPickup', report.alarmPickup),
    ...report.clocks.map((clock) => [`${say(CLOCK_LABELS[clock.clock as ClockKind] ?? { zh: clock.clock, en: clock.clock }, locale)}${locale === 'zh' ? ' 按时率' : ' on time'}`, ...rateCells(clock, locale), '']),
    ...report.breachesPerPerson.map((line) => [`${locale === 'zh' ? '超时' : 'Breaches'} · ${line.staff.name}`, '', '', String(line.breaches), '']),
  ];
  return { title: locale === 'zh' ? '考核指标' : 'KPIs', header, rows };
}

export function weeklySheet(report: HotComplaintsReport, locale: Locale): Sheet {
  const header = locale === 'zh' ? ['类别', '本周', '上周', '变化', '未完成', '已解决', '工单'] : ['Category', 'This week', 'Last week', 'Change', 'Open', 'Resolved', 'Tickets'];
  const rows = report.byCategory.map((line) => [
    say(CATEGORY_LABELS[line.category], locale),
    String(line.count),
    String(line.previous),
    `${line.count - line.previous >= 0 ? '+' : ''}${line.count - line.previous}`,
    String(line.open),
    String(line.resolved),
    line.tickets.map((ticket) => `${ticket.number} ${ticket.location}`).join('; '),
  ]);
  return { title: locale === 'zh' ? `热点投诉 ${report.week}` : `Hot complaints ${report.week}`, header, rows };
}

/** Times as the estate's clock shows them (the meeting reads local time, not UTC). */
export function unfinishedSheet(report: UnfinishedReport, locale: Locale, timeZone: string): Sheet {
  const header =
    locale === 'zh' ? ['部门', '单号', '位置', '类别', '状态', '受理时间', '天数', '约定时间', '负责人'] : ['Department', 'Number', 'Location', 'Category', 'Status', 'Received', 'Days', 'Agreed', 'Responsible'];
  const rows = report.departments.flatMap((department) =>
    department.items.map((item) => [
      say(DEPARTMENT_LABELS[department.department], locale),
      item.number,
      item.location,
      say(CATEGORY_LABELS[item.category], locale),
      say(STATUS_LABELS[item.status as TicketStatus], locale),
      minuteIn(timeZone, item.receivedAt),
      String(item.ageDays),
      item.agreedAt ? minuteIn(timeZone, item.agreedAt) : '',
      item.assignee ?? '',
    ]),
  );
  return { title: locale === 'zh' ? `未完成问题 ${report.half}` : `Unfinished ${report.half}`, header, rows };
}

/** 工单清单: a line per ticket, newest first, times as the estate's clock shows them. */
export function ticketListSheet(report: TicketListReport, locale: Locale, timeZone: string): Sheet {
  const header =
    locale === 'zh'
      ? ['单号', '受理时间', '类型', '类别', '部门', '位置', '内容', '状态', '负责人', '结案时间', '重开次数', '回访满意度']
      : ['Number', 'Received', 'Kind', 'Category', 'Department', 'Location', 'Description', 'Status', 'Responsible', 'Closed', 'Reopened', 'Callback satisfaction'];
  const rows = report.items.map((item) => [
    item.number,
    minuteIn(timeZone, item.receivedAt),
    say(KIND_LABELS[item.kind], locale),
    say(CATEGORY_LABELS[item.category], locale),
    say(DEPARTMENT_LABELS[item.department], locale),
    item.location,
    item.description,
    say(STATUS_LABELS[item.status as TicketStatus], locale),
    item.assignee ?? '',
    item.closedAt ? minuteIn(timeZone, item.closedAt) : '',
    String(item.reopenCount),
    item.satisfaction ? say(SATISFACTION_LABELS[item.satisfaction], locale) : '',
  ]);
  return { title: locale === 'zh' ? '工单清单' : 'Tickets', header, rows };
}
