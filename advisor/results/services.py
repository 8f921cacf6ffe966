"""The services a stack runs beside the app, for its starter's docker-compose.yml and .env.example.

Images are pinned to a release (a moving tag would change under a team between two `up`s); each
service has a healthcheck, so `docker compose up --wait` and `depends_on: condition:
service_healthy` work. Passwords are for a developer's machine only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Service:
    name: str  # the compose service and its host name
    image: str
    port: int
    healthcheck: list[str]
    environment: dict[str, str] = field(default_factory=dict)
    data: str | None = None  # where it keeps its data, for a named volume
    url: str = ""  # how the app reaches it from the host ({port}, {db}, {scheme})

    def compose(self, host_port: int) -> dict:
        spec = {"image": self.image}
        if self.environment:
            spec["environment"] = dict(self.environment)
        spec["ports"] = [f"{host_port}:{self.port}"]
        if self.data:
            spec["volumes"] = [f"{self.name}-data:{self.data}"]
        spec["healthcheck"] = {
            "test": list(self.healthcheck),
            "interval": "5s",
            "timeout": "5s",
            "retries": 20,
            "start_period": "10s",
        }
        return spec


SEARCH_JAVA = "-Xms512m -Xmx512m"
SERVICES = {
    "postgresql": Service(
        "postgres",
        "postgres:17.5-alpine",
        5432,
        ["CMD-SHELL", "pg_isready -U app -d app"],
        {"POSTGRES_USER": "app", "POSTGRES_PASSWORD": "app", "POSTGRES_DB": "app"},
        "/var/lib/postgresql/data",
        "{scheme}://app:app@localhost:{port}/app",
    ),
    "mysql": Service(
        "mysql",
        "mysql:8.4.5",
        3306,
        ["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 -uroot -p$$MYSQL_ROOT_PASSWORD --silent"],
        {
            "MYSQL_ROOT_PASSWORD": "root",
            "MYSQL_USER": "app",
            "MYSQL_PASSWORD": "app",
            "MYSQL_DATABASE": "app",
        },
        "/var/lib/mysql",
        "{scheme}://app:app@localhost:{port}/app",
    ),
    "mariadb": Service(
        "mariadb",
        "mariadb:11.8.2",
        3306,
        ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"],
        {
            "MARIADB_ROOT_PASSWORD": "root",
            "MARIADB_USER": "app",
            "MARIADB_PASSWORD": "app",
            "MARIADB_DATABASE": "app",
        },
        "/var/lib/mysql",
        "{scheme}://app:app@localhost:{port}/app",
    ),
    "mongodb": Service(
        "mongo",
        "mongo:8.0.10",
        27017,
        ["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"],
        {},
        "/data/db",
        "mongodb://localhost:{port}/app",
    ),
    "redis": Service(
        "redis",
        "redis:8.0.2-alpine",
        6379,
        ["CMD", "redis-cli", "ping"],
        {},
        "/data",
        "redis://localhost:{port}/{db}",
    ),
    "valkey": Service(
        "valkey",
        "valkey/valkey:8.1.1-alpine",
        6379,
        ["CMD", "valkey-cli", "ping"],
        {},
        "/data",
        "redis://localhost:{port}/{db}",
    ),
    "rabbitmq": Service(
        "rabbitmq",
        "rabbitmq:4.1.0-management-alpine",
        5672,
        ["CMD", "rabbitmq-diagnostics", "-q", "ping"],
        {"RABBITMQ_DEFAULT_USER": "app", "RABBITMQ_DEFAULT_PASS": "app"},
        "/var/lib/rabbitmq",
        "amqp://app:app@localhost:{port}//",
    ),
    # The official image starts a single-node KRaft broker advertised on localhost:{port}.
    "kafka": Service(
        "kafka",
        "apache/kafka:4.0.0",
        9092,
        ["CMD-SHELL", "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:{port}"],
        {},
        None,
        "localhost:{port}",
    ),
    "memcached": Service(
        "memcached",
        "memcached:1.6.38-alpine",
        11211,
        ["CMD-SHELL", "echo stats | nc -w 1 127.0.0.1 11211 | grep -q uptime"],
        {},
        None,
        "localhost:{port}",
    ),
    "meilisearch": Service(
        "meilisearch",
        "getmeili/meilisearch:v1.14.0",
        7700,
        ["CMD", "curl", "-fs", "http://localhost:{port}/health"],
        {"MEILI_ENV": "development", "MEILI_MASTER_KEY": "local-development-master-key"},
        "/meili_data",
        "http://localhost:{port}",
    ),
    "opensearch": Service(
        "opensearch",
        "opensearchproject/opensearch:2.19.2",
        9200,
        ["CMD-SHELL", "curl -fs http://localhost:{port}/_cluster/health"],
        {
            "discovery.type": "single-node",
            "DISABLE_SECURITY_PLUGIN": "true",
            "OPENSEARCH_JAVA_OPTS": SEARCH_JAVA,
        },
        "/usr/share/opensearch/data",
        "http://localhost:{port}",
    ),
    "elasticsearch": Service(
        "elasticsearch",
        "docker.elastic.co/elasticsearch/elasticsearch:8.18.1",
        9200,
        ["CMD-SHELL", "curl -fs http://localhost:{port}/_cluster/health"],
        {"discovery.type": "single-node", "xpack.security.enabled": "false", "ES_JAVA_OPTS": SEARCH_JAVA},
        "/usr/share/elasticsearch/data",
        "http://localhost:{port}",
    ),
}
