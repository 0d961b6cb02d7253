#!/usr/bin/env bash
# The gms conversation of the README: 1 service, 5 states, 10 tasks, then the queries.
# Run it against `npm start` (gateway on :8080).
set -euo pipefail
CS=${CS:-http://localhost:8080/genesys/1/cs}
post() { curl -s -H 'Content-Type: application/json' -X POST "$CS$1" -d "${2:-}"; }
id_of() { sed -E 's/.*"(service_id|state_id|task_id)":"?([^",}]+)"?.*/\2/'; }

# An anonymous IVR call: the service starts with the caller's number as contact key.
SID=$(post /services/start '{"contact_key": "+33155550123", "service_type": "PasswordReset",
  "media_type": "voice", "application_type": "IVR", "interaction_id": "00A1B2C3D4E5F601",
  "est_duration": 300, "CallerChoices": {"menu": "account", "language": "fr"}}' | id_of)
echo "service $SID"

# State 1: identification, with two tasks under it.
S1=$(post "/services/$SID/states/start" '{"state_type": "CustomerIdentification", "est_duration": 60}' | id_of)
for t in CollectPin CheckPin; do
  T=$(post "/services/$SID/tasks/start" "{\"state_id\": $S1, \"task_type\": \"$t\"}" | id_of)
  post "/services/$SID/tasks/$T/end" '{"disposition": "Ok"}'
done
# The caller is identified: associate the service with the customer.
post "/customers/CUST-00018b9/services/$SID" '{"resource_type": "IVR", "Identification": {"method": "pin"}}'

# States 2–4 by transitions (each ends the previous state and starts the next), two tasks each.
PREV=$S1
for type in WaitingForAgent DeliveringService Survey; do
  NEXT=$(post "/services/$SID/states/transition" "{\"from\": {\"state_id\": $PREV, \"disposition\": \"Done\"},
    \"to\": {\"state_type\": \"$type\"}, \"Feedback\": {\"step\": \"$type\"}}" | id_of)
  for n in 1 2; do
    T=$(post "/services/$SID/tasks/start" "{\"state_id\": $NEXT, \"task_type\": \"${type}Task$n\"}" | id_of)
    post "/services/$SID/tasks/$T/end" '{"disposition": "Ok"}'
  done
  PREV=$NEXT
done
# State 5 runs in parallel with state 4; two tasks directly on the service, one left active.
S5=$(post "/services/$SID/states/start" '{"state_type": "OfferingCallback"}' | id_of)
post "/services/$SID/states/$S5/end" '{"disposition": "Declined"}'
T=$(post "/services/$SID/tasks/start" '{"task_type": "SendResetLink", "Target": {"msisdn": "+33655550199"}}' | id_of)
post "/services/$SID/tasks/$T/end" '{"disposition": "Sent"}'
post "/services/$SID/tasks/start" '{"task_type": "FollowUp"}' >/dev/null

# The whole conversation, then the customer's active services with their active states.
curl -s "$CS/services/$SID?active_states=true&completed_states=true&active_tasks=true&completed_tasks=true&extensions=*"
echo
curl -s "$CS/customers/CUST-00018b9/services/active?active_states=true&extensions=Service.CallerChoices"
echo
