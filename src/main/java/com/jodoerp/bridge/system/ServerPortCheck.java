package com.jodoerp.bridge.system;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Refuses a {@code server.port} below 0. Spring Boot reads one as "no web server": the bridge then starts, says
 * "Tomcat started on port -1", and runs without taking a single webhook or admin request, which nobody notices until
 * Jodo's retries run out. A port past 65535 is refused by the JDK as the server binds ({@link StartupRefusals}).
 */
@Component
public class ServerPortCheck implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private final int port;

    public ServerPortCheck(ServerProperties server) {
        this.port = server.getPort() == null ? 0 : server.getPort();
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        if (port < 0) {
            throw new IllegalStateException("server.port: " + port + " is not a port (1 to 65535, or 0 for any free"
                    + " one); below 0 turns the web server off, and with it the webhook path");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
