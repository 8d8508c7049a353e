import type * as vscode from 'vscode';
import { SecretRegistry, redactText } from '../core/http/redact';

/**
 * The one way features write to the "Sage 200" log: every line goes through redaction (known
 * secret values, bearer tokens, secret JSON/form/query keys) before it reaches the channel.
 */
export class RedactingLog {
  constructor(
    readonly channel: vscode.LogOutputChannel,
    readonly secrets: SecretRegistry,
  ) {}

  private clean(message: string): string {
    return redactText(message, this.secrets);
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string | Error): void {
    this.channel.error(this.clean(typeof message === 'string' ? message : message.message));
  }
}
