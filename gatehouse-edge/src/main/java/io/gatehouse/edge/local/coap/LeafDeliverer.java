package io.gatehouse.edge.local.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Hands requests to the resources, only from a configured leaf authenticated by its DTLS PSK
 * handshake. The endpoint has no other connector and only the leaves' keys, so the check is a second
 * line of defence: 4.01 otherwise. The
 * tree is {@code /telemetry} and {@code /commands}; anything else, {@code /} and
 * {@code /.well-known/core} included, is 4.04.
 */
final class LeafDeliverer extends ServerMessageDeliverer {
  private final LeafPsks psks;

  LeafDeliverer(Resource telemetry, Resource commands, LeafPsks psks, Configuration configuration) {
    super(root(telemetry, commands), configuration);
    this.psks = psks;
  }

  @Override
  protected boolean preDeliverRequest(Exchange exchange) {
    if (LeafIdentity.of(exchange.getRequest().getSourceContext()).filter(psks::knows).isPresent()) {
      return false;
    }
    exchange.sendResponse(new Response(ResponseCode.UNAUTHORIZED, true));
    return true;
  }

  private static Resource root(Resource telemetry, Resource commands) {
    CoapResource root = new CoapResource("") {
      @Override
      public void handleRequest(Exchange exchange) {
        exchange.sendResponse(new Response(ResponseCode.NOT_FOUND, true));
      }
    };
    root.add(telemetry);
    root.add(commands);
    return root;
  }
}
