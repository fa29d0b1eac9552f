# Run by the mongodb-init Job (mongodb-init.yaml).
set -eu
hosts=""
i=0
while [ "$i" -lt "$MONGODB_REPLICAS" ]; do hosts="${hosts:+$hosts,}mongodb-$i.mongodb:27017"; i=$((i + 1)); done
auth="--quiet --username $MONGODB_ADMIN_USERNAME --password $MONGODB_ADMIN_PASSWORD --authenticationDatabase admin"
until mongosh "mongodb://mongodb-0.mongodb:27017/admin?directConnection=true" $auth --eval 'db.adminCommand("ping").ok'; do sleep 5; done
mongosh "mongodb://mongodb-0.mongodb:27017/admin?directConnection=true" $auth --file /scripts/initiate-replica-set.js
until mongosh "mongodb://$hosts/admin?replicaSet=rs0" $auth --eval 'db.hello().isWritablePrimary || quit(1)'; do sleep 5; done
mongosh "mongodb://$hosts/admin?replicaSet=rs0" $auth --file /scripts/create-service-users.js
