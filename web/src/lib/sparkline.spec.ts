import { balanceSeries, sparklinePoints } from './sparkline';
import type { Entry } from '../../../libs/contract/src';

function entry(balanceAfter: number | null): Entry {
  return { id: 1, walletId: 1, transactionId: 't', type: 'TRANSFER', direction: 'CREDIT', amount: 1, balanceAfter, createdAt: '' };
}

describe('balanceSeries', () => {
  it('orders balances oldest first', () => {
    expect(balanceSeries([entry(30), entry(20), entry(10)])).toEqual([10, 20, 30]);
  });

  it('leaves out balances the API hides (null)', () => {
    expect(balanceSeries([entry(30), entry(null), entry(10)])).toEqual([10, 30]);
  });
});

describe('sparklinePoints', () => {
  it('spans the box from the lowest to the highest value', () => {
    expect(sparklinePoints([0, 50, 100], 100, 20)).toBe('0,20 50,10 100,0');
  });

  it('draws a flat middle line for constant or single values', () => {
    expect(sparklinePoints([7, 7], 10, 20)).toBe('0,10 10,10');
    expect(sparklinePoints([7], 10, 20)).toBe('0,10 10,10');
  });

  it('draws nothing without values', () => {
    expect(sparklinePoints([], 10, 20)).toBe('');
  });
});
