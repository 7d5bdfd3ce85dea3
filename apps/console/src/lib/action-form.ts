import {
  type ActionField,
  availableActions,
  requiredFields,
  TICKET_ACTION_TABLE,
  type Actor,
  type TicketAction,
  type TicketActionInput,
  factsOfView as factsOf,
  type TicketView,
} from '@dispatch/domain';
import { fromLocalInput } from './format';

/** The buttons a ticket shows this user: exactly the steps the domain table allows now. */
export function actionsFor(ticket: TicketView, actor: Actor): TicketAction[] {
  return availableActions(factsOf(ticket), actor);
}

/** Fields the form shows for a step: the required ones, then the optional ones. */
export function formFields(ticket: TicketView, action: TicketAction): { required: ActionField[]; optional: ActionField[] } {
  const required = requiredFields(factsOf(ticket), action);
  const optional = TICKET_ACTION_TABLE[action].optional.filter((field) => !required.includes(field));
  // A paid repair's sheet is asked for whenever it is offered: the owner's opinion goes on it.
  return { required, optional };
}

/** A step the tablet sends with one tap: nothing to fill in. */
export function isOneTap(ticket: TicketView, action: TicketAction): boolean {
  return requiredFields(factsOf(ticket), action).length === 0 && !['dispatch', 'reassign', 'reopen'].includes(action);
}

/**
 * The desk's keyboard shortcuts for the selected ticket (Alt + key): from a logged call to a
 * dispatched one without the mouse. The button shows its key; the detail panel listens.
 */
// P 派单 (pai), A acknowledge, C contact, H 回访 (hui); never D, E or F, which Chromium keeps
// for its address bar and menus.
export const ACTION_SHORTCUTS: Partial<Record<TicketAction, string>> = { dispatch: 'p', acknowledge: 'a', contact: 'c', callback: 'h' };

/** The action an Alt+key press asks for, when this ticket offers it now. */
export function shortcutAction(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'key' | 'code'>, offered: readonly TicketAction[]): TicketAction | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  // `code` is the physical key: Alt+D on a Mac types ∂ into `key`.
  const key = event.code.startsWith('Key') ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
  return offered.find((action) => ACTION_SHORTCUTS[action] === key) ?? null;
}

/** The form's values, as strings the inputs hold. */
export type FormValues = Partial<Record<ActionField | 'labour' | 'parts' | 'ownerOpinion', string>>;

/** `LED灯管×2` per line → parts; a line without ×n counts one. */
export function parseParts(text: string): Array<{ name: string; quantity: number }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^(.*?)\s*[×xX*]\s*(\d+)$/.exec(line);
      return match ? { name: match[1].trim(), quantity: Number(match[2]) } : { name: line, quantity: 1 };
    });
}

/** The request body for a step, from the form; empty inputs are left out (the api names what is missing). */
export function actionInput(ticket: TicketView, action: TicketAction, values: FormValues): TicketActionInput {
  const { required, optional } = formFields(ticket, action);
  const input: TicketActionInput = { action, version: ticket.version };
  const body = input as unknown as Record<string, unknown>;
  for (const field of [...required, ...optional]) {
    if (field === 'repairSheet') {
      if (values.labour?.trim()) {
        input.repairSheet = {
          labour: values.labour.trim(),
          parts: parseParts(values.parts ?? ''),
          ...(values.ownerOpinion?.trim() ? { ownerOpinion: values.ownerOpinion.trim() } : {}),
        };
      }
      continue;
    }
    const value = values[field]?.trim();
    if (!value) continue;
    if (field === 'agreedAt') body[field] = fromLocalInput(value);
    else if (field === 'severity' || field === 'minutes') body[field] = Number(value);
    else body[field] = value;
  }
  return input;
}
