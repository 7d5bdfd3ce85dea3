import type { Category, Channel, Department, Priority, TicketKind, TicketStatus } from './ticket';
import type { AlarmKind, AlarmOutcome } from './alarms';
import type { ClockKind } from './sla-policy';

export type Locale = 'zh' | 'en';
export type Label = Record<Locale, string>;

export const KIND_LABELS: Record<TicketKind, Label> = {
  repair: { zh: '报修', en: 'Repair' },
  complaint: { zh: '投诉', en: 'Complaint' },
  inquiry: { zh: '咨询', en: 'Inquiry' },
  help: { zh: '求助', en: 'Help' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  alarm: { zh: '报警', en: 'Alarm' },
};

export const ALARM_KIND_LABELS: Record<AlarmKind, Label> = {
  intrusion: { zh: '红外入侵', en: 'Infrared intrusion' },
  door_forced: { zh: '门被强开', en: 'Door forced' },
  panic: { zh: '紧急按钮', en: 'Panic button' },
  smoke_fire: { zh: '烟感火警', en: 'Smoke / fire' },
  water_leak: { zh: '漏水', en: 'Water leak' },
  lift_entrapment: { zh: '电梯困人', en: 'Lift entrapment' },
  fault: { zh: '设备故障', en: 'Device fault' },
};

export const ALARM_OUTCOME_LABELS: Record<AlarmOutcome, Label> = {
  real: { zh: '真实警情', en: 'Real' },
  false: { zh: '误报', en: 'False alarm' },
  test: { zh: '测试', en: 'Test' },
  unfounded: { zh: '查无实据', en: 'Unfounded' },
};

export const STATUS_LABELS: Record<TicketStatus, Label> = {
  received: { zh: '受理', en: 'Received' },
  dispatched: { zh: '派单', en: 'Dispatched' },
  accepted: { zh: '接单', en: 'Accepted' },
  on_site: { zh: '到场', en: 'On site' },
  done: { zh: '完成', en: 'Done' },
  callback_done: { zh: '回访', en: 'Called back' },
  closed: { zh: '结案', en: 'Closed' },
  waiting: { zh: '挂起', en: 'Waiting' },
  cancelled: { zh: '取消', en: 'Cancelled' },
};

export const DEPARTMENT_LABELS: Record<Department, Label> = {
  customer_service: { zh: '客服', en: 'Customer service' },
  engineering: { zh: '工程', en: 'Engineering' },
  security: { zh: '安保', en: 'Security' },
  cleaning: { zh: '保洁', en: 'Cleaning' },
  landscaping: { zh: '绿化', en: 'Landscaping' },
};

export const CHANNEL_LABELS: Record<Channel, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  wechat: { zh: '微信', en: 'WeChat' },
  app: { zh: 'App', en: 'App' },
  front_desk: { zh: '前台', en: 'Front desk' },
  walk_in: { zh: '来访', en: 'Walk-in' },
  email: { zh: '邮件', en: 'Email' },
  patrol: { zh: '巡查', en: 'Patrol' },
};

export const PRIORITY_LABELS: Record<Priority, Label> = {
  urgent: { zh: '紧急', en: 'Urgent' },
  high: { zh: '高', en: 'High' },
  normal: { zh: '普通', en: 'Normal' },
  low: { zh: '低', en: 'Low' },
};

export const CATEGORY_LABELS: Record<Category, Label> = {
  water_leak: { zh: '漏水', en: 'Water leak' },
  lights: { zh: '照明', en: 'Lights' },
  lift: { zh: '电梯', en: 'Lift' },
  door_lock: { zh: '门锁', en: 'Door/lock' },
  noise: { zh: '噪音', en: 'Noise' },
  hygiene: { zh: '卫生', en: 'Hygiene' },
  parking: { zh: '停车', en: 'Parking' },
  greenery: { zh: '绿化', en: 'Greenery' },
  security: { zh: '治安', en: 'Security' },
  other: { zh: '其他', en: 'Other' },
};

export const CLOCK_LABELS: Record<ClockKind, Label> = {
  ack: { zh: '确认', en: 'Acknowledge' },
  dispatch: { zh: '派单', en: 'Dispatch' },
  contact: { zh: '联系业主', en: 'Contact owner' },
  arrival: { zh: '到场', en: 'Arrival' },
  report_on_site: { zh: '到场反馈', en: 'Report on site' },
  report_done: { zh: '完工反馈', en: 'Report done' },
  callback: { zh: '回访', en: 'Callback' },
  reply: { zh: '答复', en: 'Reply' },
  resolve: { zh: '办结', en: 'Resolve' },
  agreed: { zh: '约定时间', en: 'Agreed time' },
};

export const SATISFACTION_LABELS: Record<'satisfied' | 'basically_satisfied' | 'unsatisfied', Label> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
};
