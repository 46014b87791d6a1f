/** The rehearsal's input (synthesized output, baseline file) cannot be used as it is; the message says how to fix it. */
export class RehearsalInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RehearsalInputError";
  }
}
