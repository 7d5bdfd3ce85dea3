/**
 * The wallboard's alarm tone: two short beeps a second while any alarm sounds (new, not
 * acknowledged, not muted). Browsers only start audio after a click on the page, so the board
 * shows a button until the tone is armed; `ringing` says whether it would sound now.
 */
class AlarmTone {
  armed = $state(false);
  ringing = $state(false);
  /** The beeps are actually playing (armed and ringing): what the screens show and tests read. */
  beeping = $state(false);
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** Call from a click: creates or resumes the audio context. */
  async arm(): Promise<void> {
    this.context ??= new AudioContext();
    await this.context.resume().catch(() => undefined);
    this.armed = this.context.state === 'running';
    if (this.ringing) this.startBeeping();
  }

  /** Whether anything should sound now; the board calls it whenever its alarms change. */
  set(ringing: boolean): void {
    if (ringing === this.ringing) return;
    this.ringing = ringing;
    if (ringing) this.startBeeping();
    else this.stopBeeping();
  }

  stop(): void {
    this.set(false);
  }

  private startBeeping(): void {
    if (this.timer || !this.context || this.context.state !== 'running') return;
    this.beep();
    this.timer = setInterval(() => this.beep(), 1_000);
    this.beeping = true;
  }

  private stopBeeping(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.beeping = false;
  }

  private beep(): void {
    const context = this.context;
    if (!context) return;
    for (const offset of [0, 0.3]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, context.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + offset + 0.2);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(context.currentTime + offset);
      oscillator.stop(context.currentTime + offset + 0.22);
    }
  }
}

export const alarmTone = new AlarmTone();
