import type { Category, Channel, Department, Priority, TicketKind, TicketStatus } from './ticket';
import type { AlarmKind, AlarmOutcome, Severity } from './alarms';
import { type ActionField, type CallbackOutcome, type ContactChannel, type ContactOutcome, type DocumentKind, type OwnerNoticeChannel, TICKET_ACTIONS, type TicketAction } from './ticket-actions';
import type { ClockKind } from './sla-policy';
import { actionEventType, type EventType } from './events';
import type { Role } from './roles';
import type { StepAnswer } from './alarm-procedures';
import type { ClockState } from './views';

export type Locale = 'zh' | 'en';
export type Label = Record<Locale, string>;

export const KIND_LABELS: Record<TicketKind, Label> = {
  repair: { zh: '报修', en: 'Repair' },
  complaint: { zh: '投诉', en: 'Complaint' },
  inquiry: { zh: '咨询', en: 'Inquiry' },
  help: { zh: '求助', en: 'Help' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  praise: { zh: '表扬', en: 'Praise' },
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
  restored: { zh: '已复位', en: 'Restored' },
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
  device: { zh: '设备报警', en: 'Device' },
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

/** The closed loop's steps, as the console's buttons and timelines name them. */
export const ACTION_LABELS: Record<TicketAction, Label> = {
  dispatch: { zh: '派单', en: 'Dispatch' },
  reassign: { zh: '改派', en: 'Reassign' },
  accept: { zh: '接单', en: 'Accept' },
  arrive: { zh: '到场', en: 'Arrived' },
  report: { zh: '反馈', en: 'Report' },
  complete: { zh: '完工', en: 'Done' },
  wait: { zh: '暂缓（约定时间）', en: 'Wait (agreed time)' },
  resume: { zh: '恢复处理', en: 'Resume' },
  contact: { zh: '联系业主', en: 'Contact owner' },
  callback: { zh: '回访', en: 'Callback' },
  check: { zh: '客服核查', en: 'Service check' },
  answer: { zh: '答复办结', en: 'Answer and close' },
  close: { zh: '关闭', en: 'Close' },
  reopen: { zh: '重新派单', en: 'Reopen' },
  cancel: { zh: '撤单', en: 'Withdraw ticket' },
  acknowledge: { zh: '确认报警', en: 'Acknowledge' },
  clear: { zh: '消警', en: 'Clear alarm' },
  raise_severity: { zh: '升级', en: 'Raise severity' },
  mute: { zh: '静音', en: 'Mute' },
  extend_wait: { zh: '延期（新约定时间）', en: 'Extend (new agreed time)' },
  explain_delay: { zh: '超期说明', en: 'Explain delay' },
  hand_back: { zh: '退回', en: 'Hand back' },
  step: { zh: '处置步骤', en: 'Procedure step' },
};

/** The fields of those steps. */
export const ACTION_FIELD_LABELS: Record<ActionField, Label> = {
  department: { zh: '部门', en: 'Department' },
  assigneeId: { zh: '指派人员', en: 'Assignee' },
  reason: { zh: '原因', en: 'Reason' },
  note: { zh: '说明', en: 'Notes' },
  agreedAt: { zh: '约定时间', en: 'Agreed time' },
  ownerToldVia: { zh: '告知业主方式', en: 'Owner told via' },
  result: { zh: '回访结果', en: 'Result' },
  satisfaction: { zh: '满意度', en: 'Satisfaction' },
  answer: { zh: '答复内容', en: 'Answer' },
  repairSheet: { zh: '工程维修单', en: 'Repair sheet' },
  outcome: { zh: '结果', en: 'Outcome' },
  severity: { zh: '级别', en: 'Severity' },
  minutes: { zh: '静音时长', en: 'Mute for' },
  via: { zh: '联系方式', en: 'Via' },
  step: { zh: '步骤', en: 'Step' },
};

/** What `outcome` means in each step that takes one: clearing an alarm, a contact, a callback. */
export const OUTCOME_LABELS: Record<AlarmOutcome | ContactOutcome | CallbackOutcome | StepAnswer, Label> = {
  ...ALARM_OUTCOME_LABELS,
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  reached: { zh: '已联系上', en: 'Reached' },
  unreachable: { zh: '未联系上', en: 'Not reached' },
  no_owner: { zh: '无业主可回访', en: 'No owner to call' },
};

export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  sms: { zh: '短信', en: 'SMS' },
  wechat: { zh: '微信', en: 'WeChat' },
  visit: { zh: '上门', en: 'Visit' },
};

export const OWNER_NOTICE_LABELS: Record<OwnerNoticeChannel, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  sms: { zh: '短信', en: 'SMS' },
  wechat: { zh: '微信', en: 'WeChat' },
  visit: { zh: '上门', en: 'Visit' },
  notice: { zh: '公告', en: 'Notice' },
};

export const SEVERITY_LABELS: Record<Severity, Label> = {
  0: { zh: '0 无需出警', en: '0 No call' },
  1: { zh: '1 未核实', en: '1 Unverified' },
  2: { zh: '2 疑似', en: '2 Likely' },
  3: { zh: '3 财产威胁', en: '3 Property threat' },
  4: { zh: '4 生命威胁', en: '4 Threat to life' },
};

export const DOCUMENT_LABELS: Record<DocumentKind, Label> = {
  dispatch_slip: { zh: '维修调度单', en: 'Dispatch slip' },
  repair_sheet: { zh: '工程维修单', en: 'Repair sheet' },
  cs_check: { zh: '客服核查', en: 'Service check' },
};

export const ESCALATION_LABELS: Record<0 | 1 | 2, Label> = {
  0: { zh: '未升级', en: 'Not escalated' },
  1: { zh: '已报主管', en: 'Supervisor told' },
  2: { zh: '已报经理', en: 'Manager told' },
};

export const ROLE_LABELS: Record<Role, Label> = {
  dispatcher: { zh: '客服调度', en: 'Dispatcher' },
  field: { zh: '现场人员', en: 'Field staff' },
  supervisor: { zh: '主管', en: 'Supervisor' },
  manager: { zh: '经理', en: 'Manager' },
  admin: { zh: '管理员', en: 'Administrator' },
};

/** Timeline entries that are not a step of the loop (steps are named by ACTION_LABELS). */
export const EVENT_LABELS: Partial<Record<EventType, Label>> = {
  'ticket.created': { zh: '受理', en: 'Received' },
  'alarm.received': { zh: '报警接收', en: 'Alarm received' },
  'alarm.repeated': { zh: '报警重复', en: 'Alarm repeated' },
  'alarm.restored': { zh: '报警复位', en: 'Alarm restored' },
  'alarm.code_changed': { zh: '报警代码修改', en: 'Alarm code changed' },
  'alarm.procedure_changed': { zh: '处置流程修改', en: 'Procedure changed' },
  'resident.created': { zh: '新建住户档案', en: 'Resident added' },
  'resident.updated': { zh: '修改住户档案', en: 'Resident edited' },
  'resident.moved_out': { zh: '住户迁出', en: 'Resident moved out' },
  'resident.verified': { zh: '档案核对', en: 'Record verified' },
  'resident.revealed': { zh: '查看住户档案', en: 'Record revealed' },
  'archive.imported': { zh: '导入业主档案', en: 'Archive imported' },
  'worklog.noted': { zh: '记工作日志', en: 'Work log note' },
  'roster.changed': { zh: '修改排班', en: 'Roster changed' },
  'report.ready': { zh: '报表已生成', en: 'Report ready' },
  'unit.chronicled': { zh: '记单元大事', en: 'Unit chronicle entry' },
  'archive.exported': { zh: '导出业主档案', en: 'Archive exported' },
  'staff.shift_changed': { zh: '上下班', en: 'Shift changed' },
  'handover.submitted': { zh: '提交交接班', en: 'Handover submitted' },
  'handover.signed': { zh: '接班签收', en: 'Handover signed' },
  'handover.unsigned': { zh: '交接班未签收', en: 'Handover not signed' },
  'device.offline': { zh: '设备失联', en: 'Device offline' },
  'device.online': { zh: '设备恢复联络', en: 'Device back online' },
  'ticket.pii_revealed': { zh: '查看业主信息', en: 'Owner details revealed' },
  'sla.warning': { zh: '时限预警', en: 'Deadline warning' },
  'sla.breached': { zh: '超时', en: 'Deadline breached' },
  'sla.met': { zh: '按时完成', en: 'Deadline met' },
  'sla.escalated': { zh: '超时升级', en: 'Escalated' },
  'sla.policy_changed': { zh: '时限规则修改', en: 'Policy changed' },
  'estate.rules_changed': { zh: '日历或保修期修改', en: 'Calendar or warranty changed' },
  'access.signed_in': { zh: '登录', en: 'Signed in' },
  'access.signed_out': { zh: '退出登录', en: 'Signed out' },
  'access.session_revoked': { zh: '会话被吊销', en: 'Session revoked' },
  'access.account_changed': { zh: '账号启停', en: 'Account enabled or disabled' },
};

/** A logged event's name in words: the step of the loop it records, else its own label; null for a type with none. */
export function eventTypeLabel(type: string): Label | null {
  const step = (TICKET_ACTIONS as readonly string[]).find((action) => actionEventType(action as TicketAction) === type);
  if (step) return ACTION_LABELS[step as TicketAction];
  return EVENT_LABELS[type as EventType] ?? null;
}

export const CLOCK_STATE_LABELS: Record<ClockState, Label> = {
  running: { zh: '计时中', en: 'Running' },
  met: { zh: '按时', en: 'Met' },
  met_late: { zh: '超时完成', en: 'Met late' },
  breached: { zh: '已超时', en: 'Breached' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};
