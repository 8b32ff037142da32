package io.gatehouse.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AuditVerifyCommandTest {
  @Test
  void describesAnIntactAndABrokenChain() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(AuditVerifyCommand.describe(json.readTree(
        "{\"intact\":true,\"entriesChecked\":42,\"headSequence\":42,\"headHash\":\"ab12\"}")))
        .isEqualTo("audit log intact: 42 entries checked, head sequence 42, head hash ab12");
    assertThat(AuditVerifyCommand.describe(json.readTree(
        "{\"intact\":false,\"firstBadSequence\":17,\"problem\":\"entry 17 was altered after it was written\"}")))
        .isEqualTo("audit log BROKEN at sequence 17: entry 17 was altered after it was written");
  }
}
