#!/usr/bin/env node
// Validates Kubernetes objects against the API schemas shipped by the npm package kubernetes-models
// (offline; types, required fields and enums; unknown fields are not reported, as in the API's
// OpenAPI schemas). Input: a JSON array of objects on stdin. Output: a JSON array of problems.
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';

const groups = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'policy/v1': policy,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const object of JSON.parse(input)) {
  const id = `${object.apiVersion}/${object.kind} ${object.metadata?.name}`;
  const Model = groups[object.apiVersion]?.[object.kind];
  if (!Model) {
    problems.push({ id, error: 'no schema for this apiVersion/kind' });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push({ id, error: error.message });
  }
}
process.stdout.write(JSON.stringify(problems));
