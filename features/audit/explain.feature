Feature: Explain why a criterion got its value
  `pmprb audit explain` answers the auditor's questions about one criterion:
  what each assessor answered and noted, how a disagreement was settled,
  which rules turned the final answer into the value, on which evidence, and
  what the criterion adds to the sub-area, the area and the Indeks.

  Background:
    Given a finalised round "2024" with three assessors and two consensus items

  Scenario: A gated criterion
    When the auditor runs "audit explain --round 2024 --criterion MP.1.b"
    Then the command exits with code 0
    And the output says "Kriteria MP.1.b: Tim Reformasi Birokrasi telah melaksanakan tugas sesuai rencana kerja"
    And the output says "DINKES · ani (Ani Asesor): B → nilai 0,00 [evidence_kind_not_accepted, gated_by:MP.1.a]"
    And the output says "nilai mentah: 0,67"
    And the output says "gating: prasyarat MP.1.a (Tim Reformasi Birokrasi telah dibentuk) berjawaban C, nilai 0,00 → aturan MP.1.b/gate:zero_if_answer:MP.1.a menolkan nilai → 0,00"
    And the output says "nilai akhir: 0,00"
    And the rules listed in order are "MP.1.b/answer:B, MP.1.b/evidence:kind:kegiatan, MP.1.b/gate:zero_if_answer:MP.1.a"
    And the output says "evidence_kind_not_accepted: bukti dukung yang dirujuk bukan jenis yang diterima kriteria ini"
    And the output says "No. 800/12/2024 “SK Tim Reformasi Birokrasi” tanggal 15 Januari 2024"
    And the output names the SHA-256 of evidence "800/12/2024"
    And the output says "kriteria ini +0,0000"
    And the output says "kelemahan: Jawaban akhir B"

  Scenario: A criterion settled by a consensus item
    When the auditor runs "audit explain --round 2024 --criterion MP.2.b"
    Then the command exits with code 0
    And the output says "DINKES · budi (Budi Asesor): A → nilai 1,00"
    And the output says "catatan: citra: Road Map ada, belum lengkap"
    And the output says "butir MP.2.b: status resolved, selisih nilai 1,00"
    And the output says "jawaban akhir A (nilai 1,00), diputuskan oleh kora (Kora Koordinator)"
    And the output says "rapat 22 April 2024"
    And the output says "peserta: kora, ani, budi, citra"
    And the output says "alasan: Road Map RB 2020-2024 ditetapkan dengan Perwal dan dipantau tiap semester"
    And the output says "jawaban akhir: A (sumber: keputusan rapat konsensus)"
    And the output says "gating: tidak ada"
    And the output says "tidak ada butir RATL (nilai sudah terbaik)"

  Scenario: The explanation in English, as JSON
    When the auditor runs "audit explain --round 2024 --criterion MP.1.b --lang en --json"
    Then the command exits with code 0
    And the JSON final value of the criterion is 0 with raw value 0.67 gated by "MP.1.a"
