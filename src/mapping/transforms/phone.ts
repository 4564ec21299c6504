import { fail, isBlank, ok, quote, type TransformResult } from './result.ts';

/** Phone numbers → E.164 with a default region (NANP fully checked; a few other plans by length). */

interface NumberingPlan {
  readonly code: string;
  /** National trunk prefix dropped before the country code (`0` in most of Europe). */
  readonly trunk?: string;
  readonly lengths: readonly number[];
}

const PLANS: Readonly<Record<string, NumberingPlan>> = {
  US: { code: '1', lengths: [10] },
  CA: { code: '1', lengths: [10] },
  PR: { code: '1', lengths: [10] },
  MX: { code: '52', lengths: [10] },
  GB: { code: '44', trunk: '0', lengths: [9, 10] },
  IE: { code: '353', trunk: '0', lengths: [7, 8, 9] },
  ES: { code: '34', lengths: [9] },
  FR: { code: '33', trunk: '0', lengths: [9] },
  DE: { code: '49', trunk: '0', lengths: [6, 7, 8, 9, 10, 11, 12, 13] },
  IT: { code: '39', lengths: [6, 7, 8, 9, 10, 11] },
  NL: { code: '31', trunk: '0', lengths: [9] },
  AU: { code: '61', trunk: '0', lengths: [9] },
  NZ: { code: '64', trunk: '0', lengths: [8, 9, 10] },
  EE: { code: '372', lengths: [7, 8] },
  IN: { code: '91', trunk: '0', lengths: [10] },
  BR: { code: '55', trunk: '0', lengths: [10, 11] },
  CO: { code: '57', lengths: [10] },
};

/** Regions whose plan this build knows. */
export const PHONE_REGIONS = Object.keys(PLANS);

function nanpValid(national: string): boolean {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(national);
}

/**
 * A phone cell → `+15125550101`. `(713) 555-0101`, `713.555.0123`, `+44 20 7946 0958`, `=+1 713…` (Excel
 * formula remnant) are read; an extension is dropped with an info issue; anything else is an issue.
 * @example transformPhone('(713) 555-0101') // { ok: true, value: '+17135550101' }
 */
export function transformPhone(
  input: string,
  options: { region?: string | undefined } = {},
): TransformResult<string | null> {
  if (isBlank(input)) return ok(null);
  let text = input
    .trim()
    .replace(/^=\s*"?|"$/g, '')
    .trim();
  if (text.includes('@'))
    return fail('phone_is_email', `${quote(input)} is an e-mail address, not a phone number`);
  let extension: string | undefined;
  const ext = /\s*(?:x|ext\.?|extension|#)\s*(\d{1,6})\s*$/i.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index);
  }
  if (/[a-z]/i.test(text)) return fail('invalid_phone', `${quote(input)} is not a phone number`);
  const international = /^\s*(\+|00)/.test(text);
  let digits = text.replace(/\D/g, '');
  if (international && text.trim().startsWith('00')) digits = digits.slice(2);
  const note = extension
    ? {
        code: 'phone_extension_dropped',
        severity: 'info' as const,
        message: `extension ${extension} of ${quote(input)} is not part of E.164; dropped`,
      }
    : undefined;
  if (international) {
    if (digits.startsWith('1')) {
      if (digits.length === 11 && nanpValid(digits.slice(1))) return ok(`+${digits}`, note);
      return fail('invalid_phone', `${quote(input)} is not a valid North American number`);
    }
    if (digits.length < 8 || digits.length > 15)
      return fail('invalid_phone', `${quote(input)} has ${digits.length} digits; E.164 numbers have 8 to 15`);
    return ok(`+${digits}`, note);
  }
  const region = (options.region ?? 'US').toUpperCase();
  const plan = PLANS[region];
  if (!plan)
    return fail(
      'unknown_phone_region',
      `phone region '${region}' is not known; use one of ${PHONE_REGIONS.join(', ')}`,
    );
  if (plan.code === '1') {
    const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    if (national.length === 10 && nanpValid(national)) return ok(`+1${national}`, note);
    return fail(
      'invalid_phone',
      national.length === 10
        ? `${quote(input)} is not a valid ${region} number (area code and exchange cannot start with 0 or 1)`
        : `${quote(input)} has ${national.length} digits; a ${region} number has 10`,
    );
  }
  let national = digits;
  if (plan.trunk && national.startsWith(plan.trunk)) national = national.slice(plan.trunk.length);
  if (national.startsWith(plan.code) && plan.lengths.includes(national.length - plan.code.length)) {
    national = national.slice(plan.code.length);
  }
  if (!plan.lengths.includes(national.length)) {
    return fail('invalid_phone', `${quote(input)} has ${national.length} digits; not a ${region} number`);
  }
  return ok(`+${plan.code}${national}`, note);
}
