import { add, compare, divide, multiply, normalize, roundTo, subtract, toDecimal } from '../../src/shared/money';

describe('decimal money', () => {
  test('sums exactly where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(add(...Array.from({ length: 1000 }, () => '0.01'))).toBe('10');
    expect(add('19.99', '0.01', '-5')).toBe('15');
  });

  test('subtracts, multiplies, compares and rounds', () => {
    expect(subtract('100', '0.01')).toBe('99.99');
    expect(subtract('1', '2.5')).toBe('-1.5');
    expect(multiply('2.50', '12.345')).toBe('30.8625');
    expect(roundTo('30.8625', 2)).toBe('30.86');
    expect(roundTo('1.005', 2)).toBe('1.01');
    expect(roundTo('-1.005', 2)).toBe('-1.01');
    expect(roundTo('7', 2)).toBe('7.00');
    expect(compare('10.0', '10')).toBe(0);
    expect(compare('9.999', '10')).toBe(-1);
    expect(compare('10.001', '10')).toBe(1);
  });

  test('divides, rounding half away from zero', () => {
    expect(divide('10', '3', 2)).toBe('3.33');
    expect(divide('2', '3', 4)).toBe('0.6667');
    expect(divide('-2', '3', 4)).toBe('-0.6667');
    expect(divide('1', '-8', 2)).toBe('-0.13');
    expect(divide('285.02', '114.008', 6)).toBe('2.5');
    expect(divide('0.05', '0.5', 0)).toBe('0');
    expect(divide('7', '2', 0)).toBe('4');
    expect(() => divide('1', '0.00', 2)).toThrow('division of "1" by zero');
  });

  test('normalises API amounts given as strings or numbers', () => {
    expect(normalize('12.500')).toBe('12.5');
    expect(normalize('0.000')).toBe('0');
    expect(toDecimal(12.5)).toBe('12.5');
    expect(toDecimal(' 3.10 ')).toBe('3.1');
    expect(toDecimal(1e-7)).toBe('0.0000001');
  });

  test('rejects what is not a decimal amount', () => {
    expect(() => add('1,5')).toThrow('not a decimal amount: "1,5"');
    expect(() => toDecimal(Number.NaN)).toThrow('not a finite amount');
    expect(() => compare('abc', '1')).toThrow(RangeError);
  });
});
