import type { TransformRule } from './schema.js';
import type { AsyncStep, Step } from './step.js';
import { caseStep, concatStep, regexStep, splitStep, templateStep, trimStep } from './transforms/textTransforms.js';
import { booleanStep, coalesceStep, defaultStep, enumStep, lookupStep, numberStep, unitStep } from './transforms/valueTransforms.js';
import { dateStep } from './transforms/dateTransform.js';
import { expressionStep } from './transforms/expressionTransform.js';
import { compileCondition } from './condition.js';
import { pickStep } from './transforms/pickTransform.js';

/** A compiled transform list: synchronous unless some step (an expression) needs awaiting. */
export type Pipeline = { async: false; run: Step } | { async: true; run: AsyncStep };

const identity: Step = (value) => value;

export function compilePipeline(rules: readonly TransformRule[]): Pipeline {
  const stages = rules.map(compileRule);
  if (stages.every((stage) => !stage.async)) {
    const steps = stages.map((stage) => stage.run as Step);
    if (steps.length === 0) return { async: false, run: identity };
    if (steps.length === 1) return { async: false, run: steps[0]! };
    return { async: false, run: (value, context) => { for (const step of steps) value = step(value, context); return value; } };
  }
  return {
    async: true,
    run: async (value, context) => {
      for (const stage of stages) value = stage.async ? await stage.run(value, context) : stage.run(value, context);
      return value;
    },
  };
}

function compileRule(rule: TransformRule): Pipeline {
  switch (rule.op) {
    case 'trim': return { async: false, run: trimStep() };
    case 'case': return { async: false, run: caseStep(rule) };
    case 'split': return { async: false, run: splitStep(rule) };
    case 'concat': return { async: false, run: concatStep(rule) };
    case 'template': return { async: false, run: templateStep(rule) };
    case 'regex': return { async: false, run: regexStep(rule) };
    case 'number': return { async: false, run: numberStep(rule) };
    case 'boolean': return { async: false, run: booleanStep(rule) };
    case 'date': return { async: false, run: dateStep(rule) };
    case 'lookup': return { async: false, run: lookupStep(rule) };
    case 'enum': return { async: false, run: enumStep(rule) };
    case 'default': return { async: false, run: defaultStep(rule) };
    case 'coalesce': return { async: false, run: coalesceStep() };
    case 'unit': return { async: false, run: unitStep(rule) };
    case 'filter': {
      const keep = compileCondition(rule.where);
      return { async: false, run: (value) => (Array.isArray(value) ? value.filter((element) => keep(element)) : value) };
    }
    case 'pick': return { async: false, run: pickStep(rule) };
    case 'map': {
      // Per element; non-arrays (null included) pass through untouched.
      const inner = compilePipeline(rule.transforms);
      if (!inner.async) return { async: false, run: (value, context) => (Array.isArray(value) ? value.map((element) => inner.run(element, context) ?? null) : value) };
      return {
        async: true,
        run: async (value, context) => {
          if (!Array.isArray(value)) return value;
          const out: unknown[] = [];
          for (const element of value) out.push((await inner.run(element, context)) ?? null);
          return out;
        },
      };
    }
    case 'expression': return { async: true, run: expressionStep(rule) };
  }
}
