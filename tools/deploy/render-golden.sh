#!/usr/bin/env bash
# Rewrites apps/deploy-e2e/test/golden/<overlay>.yaml with what real kustomize (kubectl kustomize,
# v4+) renders. The deploy-e2e suite checks that the fallback renderer produces the same objects,
# so run this after changing anything under k8s/ (on a machine that has kubectl).
set -euo pipefail
cd "$(dirname "$0")/../.."
for overlay in dev prod; do
  kubectl kustomize "k8s/overlays/$overlay" > "apps/deploy-e2e/test/golden/$overlay.yaml"
done
npx prettier --write apps/deploy-e2e/test/golden >/dev/null
echo "golden files written with $(kubectl version --client -o json | grep -o '"kustomizeVersion": *"[^"]*"')"
