import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainUnit } from './units.ts';

test('UCUM units read as people write them beside a value', () => {
  const cases: [string | undefined, string][] = [
    ['m[IU]/L', 'mIU/L'],
    ['mm[Hg]', 'mmHg'],
    ['mL/min/{1.73_m2}', 'mL/min/1.73 m²'],
    ['10*3/uL', '10³/µL'],
    ['10*9/L', '10⁹/L'],
    ['umol/L', 'µmol/L'],
    ['{score}', 'score'],
    ['kg/m2', 'kg/m²'],
    ['mg/dL', 'mg/dL'],
    ['%', '%'],
    ['U/L', 'U/L'],
    ['units', 'units'],
    ['tablet', 'tablet'],
    [undefined, ''],
  ];
  assert.deepEqual(
    cases.map(([unit]) => plainUnit(unit)),
    cases.map(([, shown]) => shown),
  );
});
