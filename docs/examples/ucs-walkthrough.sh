#!/usr/bin/env bash
# The ucs walk-through of the README: run it against `npm start` (gateway on :8080).
set -euo pipefail
CS=${CS:-http://localhost:8080/genesys/1/cs}
json=(-H 'Content-Type: application/json')

# 1. Schema changes need maintenance mode.
curl -s "${json[@]}" -X POST "$CS/server/mode" -d '{"mode":"maintenance"}'; echo

# 2. An extension and an identification key on it (unique), plus one on the e-mail address.
curl -s "${json[@]}" -X POST "$CS/metadata/profiles/extensions" -d '{
  "name": "Devices", "type": "multi-valued", "unique": ["serial"],
  "attributes": [
    {"name": "serial", "type": "string", "length": 32, "mandatory": true},
    {"name": "model", "type": "string", "length": 64}]}'; echo
curl -s "${json[@]}" -X POST "$CS/metadata/identification-keys" \
  -d '{"name": "idSerial", "source": "Devices", "attributes": ["serial"], "unique": true}'; echo
curl -s "${json[@]}" -X POST "$CS/metadata/identification-keys" \
  -d '{"name": "idEmail", "attributes": ["EmailAddress"]}'; echo

# 3. Back to production for data.
curl -s "${json[@]}" -X POST "$CS/server/mode" -d '{"mode":"production"}'; echo

# 4. Two profiles.
MARIA=$(curl -s "${json[@]}" -X POST "$CS/profiles" -d '{
  "FirstName": "Maria", "LastName": "Silva", "EmailAddress": "maria.silva@example.org",
  "Devices": [{"serial": "SN-0001", "model": "X100"}]}' | sed -E 's/.*"customer_id":"([^"]+)".*/\1/')
DUP=$(curl -s "${json[@]}" -X POST "$CS/profiles" -d '{
  "FirstName": "M.", "LastName": "Silva", "EmailAddress": "msilva@work.example",
  "Devices": [{"serial": "SN-0002", "model": "X200"}]}' | sed -E 's/.*"customer_id":"([^"]+)".*/\1/')
echo "profiles: $MARIA $DUP"

# 5. Identify by the unique key, with the profile.
curl -s "$CS/profiles?Devices.serial=SN-0001&include_profile=yes"; echo

# 6. Update one device record by its unique attribute.
curl -s -o /dev/null -w '%{http_code}\n' "${json[@]}" -X PUT \
  "$CS/profiles/$DUP/extensions/Devices/by/unique" -d '{"serial": "SN-0002", "model": "X250"}'

# 7. Merge the duplicate into Maria's profile; the duplicate is gone afterwards.
curl -s -o /dev/null -w '%{http_code}\n' "${json[@]}" -X PUT "$CS/profiles/$MARIA/merge/$DUP" -d '{}'
curl -s "$CS/profiles/$MARIA?extensions=Devices"; echo
curl -s -o /dev/null -w '%{http_code}\n' "$CS/profiles/$DUP"
