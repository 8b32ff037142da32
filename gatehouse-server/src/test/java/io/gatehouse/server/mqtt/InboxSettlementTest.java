package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.store.Inbox.Settlement;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

class InboxSettlementTest {
  private static final MqttFixedHeader PUBACK = new MqttFixedHeader(MqttMessageType.PUBACK, false,
      MqttQoS.AT_MOST_ONCE, false, 0);

  @Test
  void anMqtt311PubAckCompletes() {
    assertThat(InboxSettlement.forPubAck(new MqttPubAckMessage(PUBACK, MqttMessageIdVariableHeader.from(1))))
        .isEqualTo(Settlement.COMPLETE);
  }

  @Test
  void mqtt5SuccessCodesComplete0x80AbandonsOtherErrorsReject() {
    assertThat(InboxSettlement.forPubAck(v5(0x00))).isEqualTo(Settlement.COMPLETE);
    assertThat(InboxSettlement.forPubAck(v5(0x10))).isEqualTo(Settlement.COMPLETE); // no matching subscribers
    assertThat(InboxSettlement.forPubAck(v5(0x80))).isEqualTo(Settlement.ABANDON);
    for (int code : new int[] {0x83, 0x87, 0x90, 0x91, 0x97, 0x99}) {
      assertThat(InboxSettlement.forPubAck(v5(code))).as("0x%02x", code).isEqualTo(Settlement.REJECT);
    }
  }

  private static MqttPubAckMessage v5(int code) {
    return new MqttPubAckMessage(PUBACK, new MqttPubReplyMessageVariableHeader(1, (byte) code,
        MqttProperties.NO_PROPERTIES));
  }
}
