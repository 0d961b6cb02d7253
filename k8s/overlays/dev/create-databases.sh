#!/bin/sh
# Dev MySQL first start (docker-entrypoint-initdb.d): one database and one user per service.
# Passwords come from the gms-database / ucs-database Secrets (env of the mysql container).
set -eu
mysql --protocol=socket -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS cs_gms CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS cs_ucs CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'cs_gms'@'%' IDENTIFIED BY '${GMS_DB_PASSWORD}';
CREATE USER IF NOT EXISTS 'cs_ucs'@'%' IDENTIFIED BY '${UCS_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON cs_gms.* TO 'cs_gms'@'%';
GRANT ALL PRIVILEGES ON cs_ucs.* TO 'cs_ucs'@'%';
SQL
