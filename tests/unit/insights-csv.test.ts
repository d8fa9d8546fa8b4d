import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/insights/csv';
import { likePattern } from '../../src/insights/answer-filter.repo';

describe('CSV cells', () => {
  it.each([
    ['plain text', 'plain text'],
    ['with, comma', '"with, comma"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1 555', "'+1 555"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['a=b', 'a=b'],
  ])('%j → %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('writes numbers as they are and missing values as empty cells; lines end with CRLF', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});

describe('search patterns', () => {
  it.each([
    ['slow', '%slow%'],
    ['50%', '%50\\%%'],
    ['a_b', '%a\\_b%'],
    ['back\\slash', '%back\\\\slash%'],
  ])('%j matches literally as %j', (text, pattern) => {
    expect(likePattern(text)).toBe(pattern);
  });
});
