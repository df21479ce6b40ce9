import { describe, expect, it } from 'vitest';
import { formatUrlState, parseUrlState, withoutKey } from '../../../renderer/src/lib/location/url-state.js';

describe('the view in the URL fragment', () => {
  it('reads data set, patch, tab and view, and ignores unknown keys', () => {
    expect(parseUrlState('#dataset=ab12&patch=ROIs1158_spring_124_p100&tab=results&view=11.5,48.4,9.5&theme=dark')).toEqual({
      dataset: 'ab12',
      patch: 'ROIs1158_spring_124_p100',
      tab: 'results',
      view: { lon: 11.5, lat: 48.4, zoom: 9.5 },
    });
    expect(parseUrlState('')).toEqual({});
    expect(parseUrlState('#token=abc')).toEqual({});
  });

  it('drops values it cannot use rather than failing: unknown tab, view out of range or malformed, huge ids', () => {
    for (const view of ['200,0,3', '0,95,3', '0,0,40', '0,0,-1', '1,2', '1,2,3,4', 'a,b,c', ',,', 'Infinity,0,1']) {
      expect(parseUrlState(`#view=${view}`), view).toEqual({});
    }
    expect(parseUrlState('#tab=settings')).toEqual({});
    expect(parseUrlState('#tab=Train')).toEqual({ tab: 'train' });
    expect(parseUrlState(`#dataset=${'x'.repeat(201)}`)).toEqual({});
  });

  it('writes what it reads, keeping keys it does not own (the token) after its own', () => {
    const state = { dataset: 'ab12', patch: 'ROIs2017_winter_7_p30', tab: 'patch' as const, view: { lon: -70.2234567, lat: -37.1, zoom: 12.3456 } };
    const hash = formatUrlState(state, '#token=t0k&dataset=old&future=1');
    expect(hash).toBe('#dataset=ab12&patch=ROIs2017_winter_7_p30&tab=patch&view=-70.22346,-37.1,12.35&token=t0k&future=1');
    expect(parseUrlState(hash)).toEqual({ ...state, view: { lon: -70.22346, lat: -37.1, zoom: 12.35 } });
    expect(formatUrlState({}, '')).toBe('');
  });

  it('takes one key out of a fragment, leaving the rest', () => {
    expect(withoutKey('#token=abc&dataset=d1&view=1,2,3', 'token')).toBe('#dataset=d1&view=1,2,3');
    expect(withoutKey('#token=abc', 'token')).toBe('');
  });
});
