package io.gatehouse.edge.local.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.ResourceObserverAdapter;

/**
 * {@code GET /commands}: how a leaf asks for its commands, handed to the {@link CommandDispatcher}.
 *
 * <ul>
 *   <li>With Observe 0 (register): 2.05 without payload at once, then every command is a
 *       confirmable notification (RFC 7641) carrying it; the observation ends on the leaf's GET with
 *       Observe 1, an RST, a notification never ACKed, or a newer request of the same leaf.
 *   <li>With Observe 1 (deregister): 2.05 without payload at once.
 *   <li>Without Observe: ACKed at once, then the request waits up to {@code commandWait}; the next
 *       command becomes its confirmable 2.05 response, or an empty 2.05 ends the wait.
 * </ul>
 *
 * Commands carry no Content-Format: the edge passes them on as the service sent them. Other methods
 * get 4.05 from {@link CoapResource}.
 */
final class CommandsResource extends CoapResource {
  private final StateThread state;
  private final CommandDispatcher commands;
  private final ObserveSequence observeNumbers;

  CommandsResource(StateThread state, CommandDispatcher commands, ObserveSequence observeNumbers) {
    super("commands");
    this.state = state;
    this.commands = commands;
    this.observeNumbers = observeNumbers;
    setObservable(true);
    setObserveType(Type.CON); // a command counts as delivered only on the leaf's ACK
    addObserver(new ResourceObserverAdapter() {
      @Override
      public void removedObserveRelation(ObserveRelation relation) {
        LeafIdentity.of(relation.getExchange().getRequest().getSourceContext())
            .ifPresent(leafId -> state.post(() -> commands.observationEnded(leafId, relation)));
      }
    });
  }

  @Override
  public void handleGET(CoapExchange exchange) {
    Request request = exchange.advanced().getRequest();
    String leafId = LeafIdentity.of(request.getSourceContext()).orElseThrow();
    ObserveRelation relation = exchange.advanced().getRelation();
    if (relation != null && !relation.isEstablished()) {
      Response registered = new Response(ResponseCode.CONTENT);
      registered.getOptions().setObserve(observeNumbers.next());
      exchange.respond(registered); // establishes the relation before any notification
      state.post(() -> commands.observationStarted(leafId, relation));
    } else if (request.isObserveCancel()) {
      exchange.respond(ResponseCode.CONTENT);
    } else {
      exchange.accept();
      if (!state.post(() -> commands.pollStarted(leafId, exchange))) {
        exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "the edge's CoAP endpoint is shutting down");
      }
    }
  }
}
