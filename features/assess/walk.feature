Feature: Answering criteria one by one
  An asesor walks the criteria assigned to them in instrument order, with the
  official wording in front of them. Each confirmed answer is saved at once
  and the rules' decision is shown: the value, why a gate changed it, and a
  warning for a claim without evidence.

  Background:
    Given round "2024" is open with "ani" assigned areas "MP, SDM" of "DINKES"

  Scenario: Answer a criterion and see what the rules decided
    When "ani" walks the worksheet of "DINKES" typing:
      | input         |
      | b             |
      | SK Tim RB ada |
      |               |
      | :keluar       |
    Then the walk showed "Kriteria: Tim Reformasi Birokrasi telah dibentuk"
    And the walk showed "Tersimpan: MP.1.a = B (versi 1)"
    And the walk showed "Nilai MP.1.a: 0.5"
    And the walk showed "Peringatan: jawaban di atas pilihan terburuk tanpa bukti dukung"
    And the stored answer of "ani" to "MP.1.a" is "B" with note "SK Tim RB ada"

  Scenario: A gate zeroes the items behind a failed prerequisite, and says why
    When "ani" walks the worksheet of "DINKES" typing:
      | input       |
      | :ke MP.2.a  |
      | Tidak       |
      |             |
      |             |
      | a           |
      |             |
      |             |
      | :keluar     |
    Then the walk showed "Perhatian: MP.2.b akan dinilai 0 apa pun jawabannya (dinilai 0 karena MP.2.a = Tidak)"
    And the walk showed "Nilai MP.2.b: 0 (sebelum aturan gating: 1)"
    And the walk showed "dinilai 0 karena MP.2.a = Tidak"

  Scenario: Skip, go back and jump
    When "ani" walks the worksheet of "DINKES" typing:
      | input      |
      | :lewati    |
      | :lewati    |
      | :kembali   |
      | :ke sdm.1.a |
      | :keluar    |
    Then the walk visited "MP.1.a, MP.1.b, MP.1.c, MP.1.b, SDM.1.a" in that order
    And "ani" has no stored answers for "DINKES"

  Scenario: Quitting and coming back resumes at the first unanswered criterion
    Given "ani" has answered "MP.1.a, MP.1.b, MP.2.a" of "DINKES"
    When "ani" walks the worksheet of "DINKES" typing:
      | input   |
      | :keluar |
    Then the walk showed "Melanjutkan dari kriteria pertama yang belum dijawab: MP.1.c"
    And the walk showed "Progres: 3/"

  Scenario: Ctrl-C asks before discarding an answer that is not saved
    When "ani" walks the worksheet of "DINKES" typing:
      | input  |
      | c      |
      | ^C     |
      | y      |
    Then the walk showed "Jawaban C untuk MP.1.a belum disimpan. Simpan sebelum keluar? [Y/t]"
    And the stored answer of "ani" to "MP.1.a" is "C" without a note

  Scenario: ":simpan" does not quit: every confirmed answer is already saved
    When "ani" walks the worksheet of "DINKES" typing:
      | input   |
      | :simpan |
      | :keluar |
    Then the walk showed "Tidak perlu :simpan: setiap jawaban tersimpan begitu dikonfirmasi. Untuk berhenti ketik :keluar."
    And the walk showed "Selesai untuk sekarang"
