// How many SMS segments a text takes. Pure. A text in the GSM 03.38 alphabet (7-bit) fits 160 characters in one
// segment (153 per part when split); anything else is sent as UCS-2: 70 characters (67 per part), counted in
// UTF-16 code units. Characters of the GSM extension table (€, [, ], {, }, \, ^, ~, |) take two septets.

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** What one segment holds in this encoding. */
  singleLimit: number;
}

export function countSegments(text: string): SegmentCount {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: parts(septets, 160, 153), singleLimit: 160 };
  return { encoding: 'UCS-2', units: text.length, segments: parts(text.length, 70, 67), singleLimit: 70 };
}

function parts(units: number, single: number, multi: number): number {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / multi);
}
