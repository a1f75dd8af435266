Feature: Submitting the worksheet
  Submission checks that every assigned criterion is answered and that every
  answer better than the worst option has evidence; the instrument decides
  whether missing evidence blocks or only warns. Blocking problems are listed
  first, each labelled; warnings follow, grouped by kind and area. A
  submitted worksheet is read-only for the assessor.

  Scenario: Submission is refused while criteria are unanswered
    Given round "2024" is open with "ani" assigned areas "MP" of "DINKES"
    And "ani" has answered every assigned criterion of "DINKES" except "MP.1.b, MP.4.c"
    When "ani" submits the worksheet of "DINKES"
    Then the submission is refused with exit code 1 listing:
      | problem                                                                                                          |
      | [belum dijawab] MP.1.b: Tim Reformasi Birokrasi telah melaksanakan tugas sesuai rencana kerja Tim Reformasi Birokrasi |
      | [belum dijawab] MP.4.c: Terdapat upaya untuk menggerakkan organisasi dalam melakukan perubahan melalui pembentukan agent of change ataupun role model |
    And the worksheet of "ani" for "DINKES" is "in_progress"

  Scenario: Submission is refused when the instrument requires evidence for a claim
    Given round "2024" on an instrument that blocks claims without evidence is open with "ani" assigned areas "MP" of "DINKES"
    And "ani" has answered every assigned criterion of "DINKES" with the worst option
    And "ani" answers "MP.1.a" of "DINKES" with "A"
    When "ani" submits the worksheet of "DINKES"
    Then the submission is refused with exit code 1 listing:
      | problem                                                                        |
      | [bukti dukung wajib] MP.1.a = A: Tim Reformasi Birokrasi telah dibentuk |

  Scenario: Submission is accepted, warning about claims without evidence
    Given round "2024" is open with "ani" assigned areas "MP" of "DINKES"
    And "ani" has answered every assigned criterion of "DINKES" with the worst option
    And "ani" answers "MP.1.a" of "DINKES" with "A"
    When "ani" submits the worksheet of "DINKES"
    Then the submission succeeds with the warning "tanpa bukti dukung, area MP (1): MP.1.a = A"
    And the worksheet of "ani" for "DINKES" is "submitted"
    And "ani" can no longer change "MP.1.a" of "DINKES"
