import type { AccountLimits, ImpliedTime, LimitSource } from '../plan/account-limits.ts';
import { formatDuration } from './progress-bar.ts';

/**
 * The account's limits as a person reads them: the burst limit and daily budget, where each came from, the
 * cap when one applies, and the time they imply for the migration.
 * @example limitsLines(limits, implied)[0] // 'burst: 100 requests / 2 s (search 10), stated by the account's answers (127.0.0.1:4010, 2026-03-01 09:14 UTC)'
 */
export function limitsLines(limits: AccountLimits, implied: ImpliedTime): string[] {
  const { burst, daily, guess } = limits;
  const guessed =
    burst.source === 'account' || burst.source === 'remembered'
      ? burst.requestsPer2s === guess.requestsPer2s
        ? `; ${guess.plan}, as ferry.yaml says`
        : `; ferry.yaml's plan (${guess.plan}) suggested ${guess.requestsPer2s}`
      : '';
  const lines = [
    `burst: ${burst.requestsPer2s} requests / 2 s (search ${burst.searchRequestsPer2s}), ${sourceWords(burst.source, burst.seenAt, limits)}${guessed}`,
  ];
  if (burst.capPer2s !== undefined && burst.capPer2s < burst.requestsPer2s) {
    lines.push(
      `paced at ${burst.pacedPer2s} requests / 2 s: pipedrive.maxRequestsPerSecond in ferry.yaml keeps the rest for your other integrations`,
    );
  }
  lines.push(
    `daily budget: ${number(daily.tokens)} tokens, ${sourceWords(daily.source, daily.seenAt, limits)}; Ferry spends up to ${Math.round(daily.ferryShare * 100)}% of it`,
  );
  lines.push(
    `time: ${number(implied.requests)} requests and ${number(implied.tokens)} tokens, about ${formatDuration(implied.seconds)} of requests at ${number(implied.requestsPerSecond)} requests/s; ${implied.days === 1 ? 'within one day of budget' : `${implied.days} days of budget`}`,
  );
  return lines;
}

function sourceWords(source: LimitSource, seenAt: string | undefined, limits: AccountLimits): string {
  const when = seenAt ? `${seenAt.slice(0, 16).replace('T', ' ')} UTC` : 'earlier';
  const where = limits.account ? `${limits.account}, ` : '';
  switch (source) {
    case 'account':
      return `stated by the account's answers (${where}${when})`;
    case 'remembered':
      return `stated by the account's answers to an earlier command (${where}${when})`;
    case 'config':
      return "ferry.yaml's pipedrive.burstLimit, until the account's answers state it";
    case 'flag':
      return 'as given on the command line';
    case 'plan':
      return `guessed from ferry.yaml (${limits.guess.plan}, ${limits.guess.seats} seat(s)) until the account's answers state it (ferry validate asks)`;
  }
}

function number(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
